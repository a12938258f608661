// The planner page: the form's choices go to the coverage API (GET /api/coverage/);
// its answer fills the summary, the table and the charts, its GeoJSON colours the
// buildings, and the grounds layer draws the grounds with their zones of access.
// The page's address, the exports and the report link follow the choices. The
// figures are the API's; the page only shows them.

import { ApiError, getJson } from "../frontend/api.js";
import { readJson } from "../frontend/dom.js";
import { CoverageCharts } from "./coverage-chart.js";
import { CoverageMap } from "./coverage-map.js";
import { showSummary, showTable } from "./coverage-table.js";
import { clearErrors, showError } from "./errors.js";
import { formatter } from "./format.js";
import { PlanPanel, STALE, followJob } from "./plan.js";

const config = readJson("planning-config");
const { messages } = readJson("planning-labels");
const fmt = formatter(config.lang);
const labels = { messages, fmt, lang: config.lang };

const page = document.querySelector(".plan-page");
const form = page.querySelector(".plan-form");
const status = page.querySelector(".plan-status");
const normHint = page.querySelector("#plan-norm");
const progress = page.querySelector(".plan-analysis-progress");
const map = new CoverageMap("plan-map", config, labels);
const charts = new CoverageCharts(
  page.querySelector("#chart-share"),
  page.querySelector("#chart-area"),
  labels,
);
const plans = config.api.plans
  ? new PlanPanel(page.querySelector(".plan-next"), map, config.api.plans, {
      ...labels,
      parameters: () => current,
    })
  : null;

const groundsByKind = new Map(); // kind → the grounds layer's FeatureCollection
const normRadius = new Map(); // kind → the radius of its norm, as the API said
let asked = 0; // the newest analysis; older answers are dropped
let controller = null;
let current = null; // the parameters of the analysis shown
let fitted = false; // the view was fitted to the data once

function parameters() {
  const data = new FormData(form);
  const chosen = {
    kind: data.get("kind"),
    method: data.get("method") || "straight",
  };
  const radius = String(data.get("radius") ?? "").trim();
  if (radius) chosen.radius = radius;
  if (data.get("territory")) chosen.territory = data.get("territory");
  return chosen;
}

async function analyse({ fitTo = null } = {}) {
  const mine = ++asked;
  controller?.abort();
  controller = new AbortController();
  const { signal } = controller;
  const chosen = parameters();
  clearErrors(form);
  busy(true);
  try {
    let answer = await getJson(config.api.coverage, chosen, signal);
    if (mine !== asked) return;
    if (isJob(answer)) {
      // Too slow to answer at once: a background job, followed here until its
      // result, the coverage answer (docs/domain.md, "Coverage of grounds": slow
      // analyses).
      answer = await followJob(answer, {
        url: answer.url,
        field: "general",
        onProgress: showProgress,
        stale: () => mine !== asked,
      });
      if (answer === STALE) return;
    }
    if (chosen.method === "network" && answer.method !== "network") straightOnly();
    const exact = { ...chosen, radius: String(answer.radius_m), method: answer.method };
    const [buildings, grounds] = await Promise.all([
      getJson(config.api.coverage, { ...exact, format: "geojson" }, signal),
      groundsOf(chosen.kind, signal),
    ]);
    if (mine !== asked) return;
    current = exact;
    show(answer, buildings, grounds, chosen, fitTo);
  } catch (error) {
    if (error.name === "AbortError" || mine !== asked) return;
    refused(error, chosen);
  } finally {
    if (mine === asked) busy(false);
  }
}

// A 202 of the coverage API: {id, state, progress, url}, not the figures.
function isJob(answer) {
  return answer && answer.url !== undefined && answer.territories === undefined;
}

function showProgress(job) {
  progress.hidden = false;
  progress.value = job.progress ?? 0;
  status.textContent =
    job.state === "queued"
      ? messages.analysisQueued
      : fmt.interpolate(messages.analysisRunning, { progress: `${job.progress ?? 0}\u00a0%` });
}

function show(answer, buildings, grounds, chosen, fitTo) {
  const wholeDistrict = !chosen.territory;
  if (!chosen.radius) {
    normRadius.set(answer.kind, answer.radius_m);
    form.elements.radius.value = String(answer.radius_m);
  }
  const norm = normRadius.get(answer.kind);
  normHint.textContent =
    norm === undefined ? "" : fmt.interpolate(messages.normRadius, { radius: fmt.count(norm) });
  showSummary(page, answer, labels);
  showTable(page.querySelector(".plan-table:not(.plan-sites)"), answer, {
    ...labels,
    wholeDistrict,
  });
  charts.show(answer, wholeDistrict);
  map.showBuildings(buildings);
  map.showGrounds(grounds, answer.radius_m);
  map.highlightTerritory(chosen.territory);
  if (fitTo === "data" || (!fitted && fitTo !== "none")) {
    fitted = true;
    map.fit(
      chosen.territory
        ? map.territoryBounds(chosen.territory) ?? map.bounds()
        : map.bounds(),
    );
  }
  followInAddress(current);
  plans?.parametersChanged();
}

// The grounds of a kind: the public grounds layer, fetched once per kind.
async function groundsOf(kind, signal) {
  if (!groundsByKind.has(kind)) {
    groundsByKind.set(kind, await getJson(config.api.grounds, { kind }, signal));
  }
  return groundsByKind.get(kind);
}

function refused(error, chosen) {
  status.textContent = "";
  if (error instanceof ApiError && error.field === "method" && chosen.method === "network") {
    straightOnly(error.message);
    analyse();
    return;
  }
  showError(form, error, messages.networkError);
  if (!(error instanceof ApiError)) {
    status.textContent = fmt.interpolate(messages.failed, { reason: messages.networkError });
  }
}

// The API measures only in a straight line here: «пешком» is switched off, with
// the API's reason (or ours, when it quietly answered in a straight line).
function straightOnly(reason = messages.straightOnly) {
  const walking = form.querySelector('input[name="method"][value="network"]');
  walking.disabled = true;
  walking.checked = false;
  form.querySelector('input[name="method"][value="straight"]').checked = true;
  form.querySelector(".plan-method-note").textContent = reason;
}

function busy(on) {
  page.setAttribute("aria-busy", on ? "true" : "false");
  status.textContent = on ? messages.computing : "";
  progress.hidden = true;
}

// The address, the exports and the report repeat the analysis shown.
function followInAddress(chosen) {
  const query = new URLSearchParams(chosen);
  const here = new URL(window.location.href);
  here.search = query.toString();
  window.history.replaceState(null, "", here);
  const link = (selector, base, extra = {}) => {
    const target = new URL(base, window.location.href);
    target.search = new URLSearchParams({ ...chosen, ...extra }).toString();
    page.querySelector(selector).href = target.pathname + target.search;
  };
  link(".export-csv", config.api.coverage, { format: "csv" });
  link(".export-geojson", config.api.coverage, { format: "geojson" });
  link(".export-report", config.report);
}

async function loadTerritories() {
  try {
    map.showTerritories(await getJson(config.api.territories, {}));
  } catch (error) {
    console.error(error);
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  analyse();
});
form.addEventListener("change", (event) => {
  const name = event.target.name;
  if (name === "kind") {
    // A new kind starts from its own norm's radius.
    form.elements.radius.value = "";
  }
  analyse({ fitTo: name === "territory" ? "data" : "none" });
});

await loadTerritories();
analyse();
