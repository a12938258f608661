// The live check while drawing: the shape goes to the API's preview (debounced), the
// answer is shown beside the passport's population — «2 478 жителей в 35 домах ·
// площадь 21,0 га · в паспорте: 2 478» — with its warnings, and the problem is
// marked on the map: the self-intersection point, the areas shared with neighbours.
// The numbers are the server's (PostGIS); this file only shows them.

import { ApiError, sendJson } from "../frontend/api.js";
import { element, interpolate } from "../frontend/dom.js";
import { formatter } from "./format.js";
import { debounce, shownOnly, STYLES } from "./map-base.js";

const DELAY_MS = 300;

export function createCheck({ map, url, box, labels, lang, onAnswer = () => {} }) {
  const fmt = formatter(lang);
  const { messages, plurals } = labels;
  const highlights = L.featureGroup().addTo(map);
  const parts = {
    status: box.querySelector(".check-status"),
    numbers: box.querySelector(".check-numbers"),
    warnings: box.querySelector(".check-warnings"),
    info: box.querySelector(".check-info"),
  };
  let controller = null;

  function clear() {
    highlights.clearLayers();
    parts.numbers.textContent = "";
    parts.warnings.replaceChildren();
    parts.info.replaceChildren();
    box.classList.remove("has-problem", "is-fine");
  }

  function say(text, isError = false) {
    parts.status.textContent = text ?? "";
    parts.status.classList.toggle("is-error", isError);
  }

  function numbersLine(answer) {
    const items = [
      `${fmt.plural(plurals.residents, answer.residents)} ${fmt.plural(
        plurals.inBuildings,
        answer.buildings,
      )}`,
      interpolate(messages.area, { area: fmt.hectares(answer.area_m2) }),
    ];
    if (answer.population_recorded !== null && answer.population_recorded !== undefined) {
      const n = fmt.count(answer.population_recorded);
      items.push(interpolate(messages.passport, { n }));
    }
    return items.join(" · ");
  }

  function warn(text, code) {
    const item = element("li", "check-warning", text);
    if (code) item.dataset.code = code;
    parts.warnings.append(item);
  }

  function render(answer) {
    clear();
    say("");
    if (answer.residents !== null && answer.residents !== undefined) {
      parts.numbers.textContent = numbersLine(answer);
    }
    if (answer.reason && answer.code !== "overlap") warn(answer.reason, answer.code);
    for (const overlap of answer.overlaps ?? []) {
      const area = fmt.squareMetres(overlap.area_m2);
      warn(interpolate(messages.overlap, { name: overlap.name, area }), "overlap");
      markArea(overlap);
    }
    for (const sliver of answer.snapped ?? []) {
      const area = fmt.squareMetres(sliver.area_m2);
      const text = interpolate(messages.snapped, { name: sliver.name, area });
      parts.info.append(element("li", "check-snapped", text));
    }
    if (answer.location) markPoint(answer.location);
    const problem = parts.warnings.children.length > 0;
    box.classList.toggle("has-problem", problem);
    box.classList.toggle("is-fine", !problem);
  }

  function markArea(overlap) {
    const style = { ...STYLES.problem, className: "check-overlap" };
    const options = { style: () => style, ...shownOnly(style) };
    highlights.addLayer(L.geoJSON(overlap.geometry, options));
  }

  function markPoint(location) {
    const [lon, lat] = location.coordinates;
    const marker = L.circleMarker([lat, lon], {
      ...shownOnly(STYLES.problem),
      radius: 9,
      weight: 3,
      fillColor: STYLES.problem.color,
      fillOpacity: 0.9,
      className: "check-location",
    });
    marker.bindTooltip(messages.selfIntersection, { permanent: true, direction: "top" });
    highlights.addLayer(marker);
  }

  async function run(geometry) {
    controller?.abort();
    if (!geometry) {
      controller = null;
      clear();
      say(messages.noShape);
      onAnswer(null);
      return;
    }
    const mine = new AbortController();
    controller = mine;
    say(messages.checking);
    try {
      const answer = await sendJson(url, "POST", geometry, mine.signal);
      render(answer);
      onAnswer(answer);
    } catch (error) {
      if (error.name === "AbortError") return;
      clear();
      if (error instanceof ApiError && error.status === 400) {
        // The body is no readable polygon (unclosed ring, too few points …).
        say("");
        const body = error.body ?? {};
        render({ ...body, reason: error.message, overlaps: [], snapped: [] });
      } else {
        say(interpolate(messages.checkFailed, { reason: error.message }), true);
      }
      onAnswer(null);
    }
  }

  const later = debounce(run, DELAY_MS);
  return {
    check: later,
    now(geometry) {
      later.cancel();
      return run(geometry);
    },
  };
}
