// The editor's controls shared by the territory's page and the proposal of a new TOS:
// «Отменить» with Ctrl+Z, and a GeoJSON or KML file as the starting shape.

import { interpolate } from "../frontend/dom.js";
import { ImportError, readShapeFile } from "./importer.js";

export function bindUndo(editor, button, { messages, onDone, say }) {
  button.addEventListener("click", () => {
    if (!editor.undo()) say(messages.nothingToUndo);
    onDone();
  });
  document.addEventListener("keydown", (event) => {
    // KeyZ: the key's place, whatever the layout (Я on a Russian keyboard).
    if (!(event.ctrlKey || event.metaKey) || event.shiftKey || event.code !== "KeyZ") {
      return;
    }
    if (event.target.closest?.("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    editor.undo();
    onDone();
  });
}

export function bindImport(editor, input, { messages, errorSlot, onDone, say }) {
  input.addEventListener("change", async () => {
    const file = input.files[0];
    input.value = ""; // the same file may be chosen again
    if (!file) return;
    errorSlot.textContent = "";
    try {
      editor.load(await readShapeFile(file));
      editor.fit();
      say(interpolate(messages.importDone, { name: file.name }));
    } catch (error) {
      errorSlot.textContent = importMessage(error, file.name, messages);
    }
    onDone();
  });
}

function importMessage(error, name, messages) {
  if (!(error instanceof ImportError)) return error.message;
  if (error.kind === "unknown") return messages.importUnknown;
  if (error.kind === "empty") return interpolate(messages.importEmpty, { name });
  return interpolate(messages.importFailed, { name, reason: error.message });
}
