// "Me too": before a report is sent, the open reports of the same category near the
// point, each with a button that adds the resident's support instead.

import { ApiError, getJson, postForm } from "./api.js";
import { element, interpolate } from "./dom.js";

const EXCERPT = 140;

export function createNearby(config, t, statuses) {
  const list = element("ul", "nearby__list");
  const box = element("section", "nearby", [
    element("h3", "nearby__title", t.nearbyTitle),
    element("p", "nearby__text", interpolate(t.nearbyText, { radius: config.nearbyRadius })),
    list,
  ]);
  box.hidden = true;
  let controller = null;

  async function check(point, category) {
    controller?.abort();
    box.hidden = true;
    if (!point || !category) return;
    controller = new AbortController();
    const params = { lat: point.lat.toFixed(6), lon: point.lng.toFixed(6), category };
    try {
      const body = await getJson(config.nearbyUrl, params, controller.signal);
      const reports = Array.isArray(body) ? body : (body?.results ?? []);
      list.replaceChildren(...reports.map((report) => item(report)));
      box.hidden = reports.length === 0;
    } catch (error) {
      if (error.name !== "AbortError") console.error("nearby reports:", error);
    }
  }

  function item(report) {
    const supports = element("span", "nearby__supports",
      interpolate(t.supports, { count: report.support_count }));
    const button = element("button", "nearby__support", t.meToo);
    button.type = "button";
    const result = element("p", "nearby__result");
    button.addEventListener("click", () => support(report, button, supports, result));
    const link = element("a", "nearby__link", t.more);
    link.href = report.url;
    link.target = "_blank";
    return element("li", "nearby__item", [
      element("p", "nearby__meta", [
        element("span", "nearby__status", statuses[report.status] ?? report.status),
        " · ",
        interpolate(t.distance, { distance: Math.round(report.distance_m) }),
        " · ",
        supports,
      ]),
      element("p", "nearby__description", excerpt(report.description)),
      element("div", "nearby__actions", [button, link]),
      result,
    ]);
  }

  async function support(report, button, supports, result) {
    button.disabled = true;
    const url = config.supportUrl.replace("{id}", report.id);
    try {
      const body = await postForm(url, new FormData());
      supports.textContent = interpolate(t.supports, { count: body.support_count });
      result.textContent = body.counted ? t.supported : t.alreadySupported;
      result.classList.remove("is-error");
    } catch (error) {
      const reason = error instanceof ApiError ? error.message : t.networkError;
      result.textContent = interpolate(t.supportFailed, { reason });
      result.classList.add("is-error");
      button.disabled = false;
    }
  }

  return { box, check, hide: () => { controller?.abort(); box.hidden = true; } };
}

function excerpt(text) {
  const value = String(text ?? "");
  return value.length > EXCERPT ? `${value.slice(0, EXCERPT)}…` : value;
}
