// The history of a boundary: two versions chosen as A and B shown together, with the
// areas B adds (green) and removes (red) and their m² from the API's compare; a
// planner may restore an earlier approved version.

import { getJson, sendJson } from "../frontend/api.js";
import { interpolate, readJson } from "../frontend/dom.js";
import { clearErrors, showError } from "./errors.js";
import { formatter } from "./format.js";
import { createMap, shape, shownOnly, STYLES } from "./map-base.js";

const config = readJson("boundary-config");
const { messages } = readJson("boundary-labels");
const fmt = formatter(config.lang);
const page = document.querySelector(".tos-history");
const form = page.querySelector(".tos-compare");
const map = form ? createMap("tos-map", config) : null;
const drawn = [];
let asked = 0; // the newest comparison; older answers are dropped

// The API's URLs for version 0, for any number.
const numbered = (url, n) => url.replace(/\/0\/(restore\/)?$/, `/${n}/$1`);

async function compare() {
  const mine = ++asked;
  const a = form.elements.a.value;
  const b = form.elements.b.value;
  clearErrors(page);
  try {
    const [versionA, versionB, diff] = await Promise.all([
      getJson(numbered(config.api.version, a), {}),
      getJson(numbered(config.api.version, b), {}),
      a === b ? null : getJson(config.api.compare, { from: a, to: b }),
    ]);
    if (mine !== asked) return;
    show(versionA, versionB, diff);
  } catch (error) {
    if (mine === asked) showError(page, error, messages.networkError);
  }
}

function show(versionA, versionB, diff) {
  drawn.splice(0).forEach((layer) => layer.remove());
  const add = (geometry, style) => {
    const layer = shape(map, geometry, shownOnly(style));
    if (layer) drawn.push(layer);
  };
  add(versionA.geometry, STYLES.versionA);
  add(versionB.geometry, STYLES.versionB);
  const added = page.querySelector(".compare-added");
  const removed = page.querySelector(".compare-removed");
  if (diff) {
    add(diff.added.geometry, STYLES.added);
    add(diff.removed.geometry, STYLES.removed);
    const area = (part) =>
      interpolate(messages.squareMetres, { area: fmt.squareMetres(part.area_m2) });
    added.textContent = area(diff.added);
    removed.textContent = area(diff.removed);
  } else {
    added.textContent = "";
    removed.textContent = "";
  }
  page.querySelector(".compare-note").textContent = diff ? "" : messages.sameVersion;
  const bounds = L.featureGroup(drawn).getBounds();
  if (bounds.isValid()) map.fitBounds(bounds.pad(0.2), { animate: false });
}

async function restore(button) {
  const n = button.dataset.restore;
  if (!window.confirm(interpolate(messages.confirmRestore, { n }))) return;
  clearErrors(page);
  button.disabled = true;
  try {
    await sendJson(numbered(config.api.restore, n), "POST");
    window.location.reload();
  } catch (error) {
    showError(page, error, messages.networkError);
    button.disabled = false;
  }
}

if (form) {
  form.addEventListener("change", compare);
  form.addEventListener("submit", (event) => event.preventDefault());
  compare();
}
page.querySelectorAll("[data-restore]").forEach((button) => {
  button.addEventListener("click", () => restore(button));
});
