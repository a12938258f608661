// Proposing a new TOS: a name and a drawn (or imported) boundary, checked live as on
// a territory's page, sent to POST /api/territories/; the new territory's page opens.

import { sendJson } from "../frontend/api.js";
import { readJson } from "../frontend/dom.js";
import { createCheck } from "./check.js";
import { bindImport, bindUndo } from "./controls.js";
import { createEditor } from "./editor.js";
import { clearErrors, showError } from "./errors.js";
import { addContext, createMap } from "./map-base.js";

const config = readJson("boundary-config");
const labels = readJson("boundary-labels");
const { messages } = labels;
const map = createMap("tos-map", config);
const form = document.querySelector(".tos-proposal");
const create = form.querySelector(".tos-create");
const progressLine = form.querySelector(".tos-progress");
const say = (text) => {
  progressLine.textContent = text ?? "";
};
let busy = false;

addContext(map, config, {
  onError: (kind) => kind === "buildings" && say(messages.buildingsLoadFailed),
});
const check = createCheck({
  map,
  url: config.api.preview,
  box: form.querySelector(".tos-check"),
  labels,
  lang: config.lang,
});
const editor = createEditor(map, {
  lang: config.lang,
  onChange: (geometry) => {
    check.check(geometry);
    update();
  },
});
editor.start(null);
check.now(null);

function update() {
  create.disabled = busy || !editor.geometry() || !form.elements.name.value.trim();
  form.querySelector(".tos-undo").disabled = !editor.canUndo();
}

bindUndo(editor, form.querySelector(".tos-undo"), { messages, onDone: update, say });
bindImport(editor, form.querySelector(".tos-file input"), {
  messages,
  errorSlot: form.querySelector('[data-error-for="file"]'),
  onDone: update,
  say,
});
form.elements.name.addEventListener("input", update);

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  clearErrors(form);
  busy = true;
  update();
  say(messages.saving);
  try {
    const territory = await sendJson(config.api.create, "POST", {
      name: form.elements.name.value,
      geometry: editor.geometry(),
    });
    window.location.assign(territory.links.page);
  } catch (error) {
    say("");
    showError(form, error, messages.networkError);
    busy = false;
    update();
  }
});
update();
