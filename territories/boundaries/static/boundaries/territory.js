// A territory's page: the approved boundary on the map; for its editors the Geoman
// editor with the live check, undo, file import, «Сохранить черновик» and «Отправить
// на согласование»; for a planner, a submitted boundary over the approved one with
// «Утвердить» and «Вернуть». Every write goes through the boundaries API, whose
// services decide (docs/domain.md, "TOS boundaries"); this file holds no rule.

import { getJson, sendJson } from "../frontend/api.js";
import { interpolate, readJson } from "../frontend/dom.js";
import { createCheck } from "./check.js";
import { bindImport, bindUndo } from "./controls.js";
import { createEditor } from "./editor.js";
import { clearErrors, showError } from "./errors.js";
import { addContext, createMap, shape, shownOnly, STYLES } from "./map-base.js";

const config = readJson("boundary-config");
const labels = readJson("boundary-labels");
const { messages } = labels;
const map = createMap("tos-map", config);
const page = document.querySelector(".tos-territory");

addContext(map, config, {
  territoryId: config.territory,
  onError: (kind) => kind === "buildings" && progress(messages.buildingsLoadFailed),
});
getJson(config.api.detail, {}).then(start, (error) => {
  progress(error.message);
  console.error("territory:", error);
});

function start(detail) {
  const approvedStyle = shownOnly(STYLES.approved, { snap: true });
  const approved = shape(map, detail.boundary, approvedStyle);
  let shown = approved;
  if (config.editable) {
    shown = startEditor(detail) ?? approved;
  } else if (detail.draft) {
    shown = shape(map, detail.draft.geometry, shownOnly(STYLES.draft)) ?? approved;
    if (config.reviewing) startReview(detail);
  }
  const bounds = shown?.getBounds?.();
  if (bounds?.isValid()) map.fitBounds(bounds.pad(0.2), { animate: false });
}

// --- the editor ---------------------------------------------------------------------

function startEditor(detail) {
  const section = page.querySelector(".tos-editor");
  const buttons = {
    undo: section.querySelector(".tos-undo"),
    save: section.querySelector(".tos-save"),
    submit: section.querySelector(".tos-submit"),
  };
  const draft = detail.draft;
  const state = { newest: draft?.properties.state ?? detail.state, busy: false };
  let answer = null; // the live check of the shape as it is now

  const check = createCheck({
    map,
    url: config.api.preview,
    box: page.querySelector(".tos-check"),
    labels,
    lang: config.lang,
    onAnswer: (fresh) => {
      answer = fresh;
      update();
    },
  });
  const editor = createEditor(map, {
    lang: config.lang,
    onChange: (geometry) => {
      answer = null;
      clearErrors(section);
      check.check(geometry);
      update();
    },
  });
  editor.start(draft?.geometry ?? detail.boundary);
  // What the server holds as the newest draft; the shape differs from it once edited.
  let saved = key(editor.geometry());
  check.now(editor.geometry());

  function update() {
    const geometry = editor.geometry();
    const dirty = key(geometry) !== saved;
    buttons.undo.disabled = !editor.canUndo();
    buttons.save.disabled =
      state.busy || !geometry || !(dirty || state.newest === "returned");
    const submittable =
      !dirty && state.newest === "draft" && Boolean(answer?.can_submit);
    buttons.submit.disabled = state.busy || !submittable;
    buttons.submit.title = submittable ? "" : messages.submitHint;
    section.querySelector(".tos-unsaved").textContent = dirty ? messages.unsaved : "";
  }

  bindUndo(editor, buttons.undo, { messages, onDone: update, say: progress });
  bindImport(editor, section.querySelector(".tos-file input"), {
    messages,
    errorSlot: section.querySelector('[data-error-for="file"]'),
    onDone: update,
    say: progress,
  });

  buttons.save.addEventListener("click", async () => {
    const geometry = editor.geometry();
    const version = await act(section, messages.saving, () =>
      sendJson(config.api.draft, "PUT", geometry),
    );
    if (!version) return;
    // The server may have cut slivers along a neighbour: its shape is the draft.
    editor.load(version.geometry);
    saved = key(editor.geometry());
    state.newest = version.properties.state;
    showState(version.properties);
    progress(interpolate(messages.saved, { n: version.properties.number }));
    update();
  });

  buttons.submit.addEventListener("click", async () => {
    const version = await act(section, messages.sending, () =>
      sendJson(config.api.submit, "POST"),
    );
    if (version) window.location.reload();
  });

  // Runs one write with the buttons off; the answer, or null after showing the error.
  async function act(scope, busyText, request) {
    clearErrors(scope);
    state.busy = true;
    update();
    progress(busyText);
    try {
      return await request();
    } catch (error) {
      progress("");
      showError(scope, error, messages.networkError);
      return null;
    } finally {
      state.busy = false;
      update();
    }
  }

  update();
  return editor.group.getLayers().length ? editor.group : null;
}

// --- review -------------------------------------------------------------------------

function startReview(detail) {
  const section = page.querySelector(".tos-review");
  createCheck({
    map,
    url: config.api.preview,
    box: page.querySelector(".tos-check"),
    labels,
    lang: config.lang,
  }).now(detail.draft.geometry);
  review(section, ".tos-approve", config.api.approve, (form) => ({
    decision_number: form.elements.decision_number.value,
    decision_date: form.elements.decision_date.value,
  }));
  review(section, ".tos-return", config.api.return, (form) => ({
    comment: form.elements.comment.value,
  }));
}

function review(section, selector, url, body) {
  const form = section.querySelector(selector);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(section);
    const button = form.querySelector("button");
    button.disabled = true;
    try {
      await sendJson(url, "POST", body(form));
      window.location.reload();
    } catch (error) {
      showError(section, error, messages.networkError);
      button.disabled = false;
    }
  });
}

// --- the page's texts ----------------------------------------------------------------

function showState(properties) {
  const badge = document.getElementById("boundary-state");
  if (badge) {
    badge.textContent = properties.state_display;
    badge.className = `tos-state state-${properties.state}`;
  }
  const number = document.getElementById("boundary-version");
  if (number) {
    number.textContent = interpolate(messages.versionLabel, { n: properties.number });
  }
}

function progress(text) {
  const line = page.querySelector(".tos-progress");
  if (line) line.textContent = text ?? "";
}

function key(geometry) {
  return JSON.stringify(geometry);
}
