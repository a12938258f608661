// Where to build next (issue 9, item 4): the best sites for new grounds of the kind
// shown, chosen greedily by the API as a background job. POST /api/coverage/plans/
// {kind, radius, count, territory?, points?} answers 202 {id, state, progress}; the
// panel asks GET /api/coverage/plans/<id>/ until the job is done and shows its
// sites on the map and in a table. The panel hides itself if the API has no such
// endpoint (404).

import { ApiError, getJson, sendJson } from "../frontend/api.js";
import { element } from "../frontend/dom.js";
import { COLOURS } from "./coverage-map.js";
import { clearErrors, showError } from "./errors.js";

const POLL_MS = 1000;
const FINISHED = new Set(["done", "failed"]);
export const STALE = Symbol("stale");

// An analysis run as a background job (202 {id, state, progress, url}): its state
// is asked of `url` every second, shown by `onProgress`, until it is done (its
// result) or failed (an ApiError naming `field`); STALE once `stale()` says a newer
// question replaced it.
export async function followJob(job, { url, field, onProgress, stale }) {
  onProgress(job);
  while (!FINISHED.has(job.state)) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (stale()) return STALE;
    job = await getJson(url, {});
    if (stale()) return STALE;
    onProgress(job);
  }
  if (job.state === "failed") {
    throw new ApiError(field, job.error || job.state, 500, job);
  }
  return job.result;
}

export class PlanPanel {
  constructor(panel, coverageMap, url, { messages, fmt, parameters }) {
    Object.assign(this, { panel, url, messages, fmt, parameters });
    this.map = coverageMap.map;
    this.form = panel.querySelector(".plan-next-form");
    this.progress = panel.querySelector(".plan-progress");
    this.status = panel.querySelector(".plan-next-status");
    this.result = panel.querySelector(".plan-next-result");
    this.points = L.featureGroup().addTo(this.map);
    this.sites = L.featureGroup().addTo(this.map);
    this.job = 0; // the newest plan asked; older ones are dropped
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
    this.form.addEventListener("change", () => this.candidatesChanged());
    panel
      .querySelector(".plan-points-clear")
      .addEventListener("click", () => this.clearPoints());
    this.map.on("click", (event) => this.addPoint(event.latlng));
  }

  pickingPoints() {
    return this.form.elements.candidates.value === "points";
  }

  candidatesChanged() {
    this.panel.querySelector(".plan-points").hidden = !this.pickingPoints();
    this.map.getContainer().classList.toggle("is-picking", this.pickingPoints());
  }

  addPoint(latlng) {
    if (!this.pickingPoints()) return;
    const marker = L.circleMarker(latlng, {
      radius: 7,
      color: COLOURS.site,
      weight: 2,
      fillColor: "#fff",
      fillOpacity: 1,
    });
    marker.on("click", (event) => {
      L.DomEvent.stopPropagation(event);
      this.points.removeLayer(marker);
      this.countPoints();
    });
    this.points.addLayer(marker);
    this.countPoints();
  }

  clearPoints() {
    this.points.clearLayers();
    this.countPoints();
  }

  countPoints() {
    const n = this.points.getLayers().length;
    this.panel.querySelector(".plan-points-count").textContent = this.fmt.interpolate(
      this.messages.pointsCount,
      { n: this.fmt.count(n) },
    );
  }

  // The analysis above changed: a plan shown for other parameters is stale.
  parametersChanged() {
    this.job += 1;
    this.sites.clearLayers();
    this.result.hidden = true;
    this.progress.hidden = true;
    this.status.textContent = "";
  }

  request() {
    const chosen = this.parameters();
    const body = {
      kind: chosen.kind,
      radius: Number(chosen.radius),
      count: Number(this.form.elements.count.value),
    };
    if (chosen.territory) body.territory = Number(chosen.territory);
    if (this.pickingPoints()) {
      body.points = this.points.getLayers().map((marker) => {
        const { lat, lng } = marker.getLatLng();
        return [round6(lng), round6(lat)];
      });
    }
    return body;
  }

  async run() {
    if (!this.parameters()) return;
    this.parametersChanged();
    const mine = this.job;
    clearErrors(this.form);
    try {
      const job = await sendJson(this.url, "POST", this.request());
      const result = await followJob(job, {
        url: `${this.url}${job.id}/`,
        field: "plan",
        onProgress: (state) => this.showProgress(state),
        stale: () => mine !== this.job,
      });
      if (result === STALE) return;
      this.showResult(result);
    } catch (error) {
      if (mine !== this.job) return;
      this.progress.hidden = true;
      this.status.textContent = "";
      // geo/error_pages.py: an address the API does not have is {"field": "path"}.
      if (error instanceof ApiError && error.status === 404 && error.field === "path") {
        this.panel.hidden = true; // no such endpoint on this server
        return;
      }
      showError(this.form, error, this.messages.networkError, "plan");
    }
  }

  showProgress(job) {
    this.progress.hidden = false;
    this.progress.value = job.progress ?? 0;
    this.status.textContent =
      job.state === "queued"
        ? this.messages.planQueued
        : this.fmt.interpolate(this.messages.planRunning, {
            progress: `${job.progress ?? 0}\u00a0%`,
          });
  }

  showResult(result) {
    const { messages, fmt } = this;
    this.progress.hidden = true;
    this.status.textContent = "";
    this.result.hidden = false;
    this.panel.querySelector(".plan-next-summary").textContent = fmt.interpolate(
      messages.planSummary,
      {
        before: fmt.share(result.coverage_before),
        after: fmt.share(result.coverage_after),
        residents: `${fmt.count(result.residents_covered_before)} → ${fmt.count(
          result.residents_covered_after,
        )}`,
      },
    );
    const rows = result.sites.map((site) => this.showSite(site));
    const body = this.panel.querySelector(".plan-sites tbody");
    body.replaceChildren(
      ...(rows.length ? rows : [element("tr", null, [emptyCell(messages.planEmpty)])]),
    );
    if (this.sites.getLayers().length) {
      this.map.fitBounds(this.sites.getBounds(), { padding: [24, 24], maxZoom: 16 });
    }
  }

  showSite(site) {
    const { messages, fmt } = this;
    const where = [site.lat, site.lon];
    const radius = Number(this.parameters().radius);
    this.sites.addLayer(
      L.circle(where, {
        radius,
        color: COLOURS.site,
        weight: 2,
        dashArray: "6 4",
        fillOpacity: 0.08,
        interactive: false,
      }),
    );
    const icon = L.divIcon({
      className: "plan-site-marker",
      html: element("span", null, String(site.rank)),
      iconSize: [26, 26],
    });
    const title = fmt.interpolate(messages.site, { rank: site.rank });
    this.sites.addLayer(L.marker(where, { icon, title, alt: title }));
    const cell = (text, className = "number") => element("td", className, text);
    return element("tr", null, [
      cell(String(site.rank), null),
      cell(site.yard ? String(site.yard) : `${site.lat.toFixed(5)}, ${site.lon.toFixed(5)}`, null),
      cell(`+${fmt.count(site.residents_newly_covered)}`),
      cell(fmt.share(site.coverage_after)),
    ]);
  }
}


function emptyCell(text) {
  const td = element("td", "plan-empty", text);
  td.colSpan = 4;
  return td;
}

function round6(value) {
  return Math.round(value * 1e6) / 1e6;
}
