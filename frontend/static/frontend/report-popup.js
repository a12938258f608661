// Popup of a resident's report: category, status, date, supports, text and a link to
// its page. Everything goes in as text (dom.js); the text may hold anything.

import { element, interpolate } from "./dom.js";
import { colourOf } from "./styles.js";

export function reportPopupFactory(labels, lang, categories, style) {
  const t = labels.report;
  const statuses = labels.values.reports?.status ?? {};
  const names = new Map(categories.map((category) => [category.code, category.name]));
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long" });

  return (layerMeta, layerTitle) => (leafletLayer) => {
    const { id, properties: p } = leafletLayer.feature;
    const status = element("p", "report-status", statuses[p.status] ?? p.status);
    status.dataset.status = p.status;
    status.style.setProperty("--colour", colourOf(style, p));
    const facts = element("dl", "popup__properties", [
      element("dt", "popup__label", t.submittedOn),
      element("dd", "popup__value", dates.format(new Date(p.created_at))),
      element("dt", "popup__label", t.supportCount),
      element("dd", "popup__value report-popup__supports", String(p.support_count)),
    ]);
    const text = p.description
      ? element("p", "report-popup__text", p.description)
      : element("p", "report-popup__text is-pending", t.awaitingModeration);
    const link = element("a", "report-popup__link", t.more);
    link.href = p.url;
    return element("div", "popup report-popup", [
      element("p", "popup__layer", interpolate(t.reportNo, { id })),
      element("h2", "popup__title", names.get(p.category) ?? p.category_name),
      status,
      facts,
      text,
      link,
    ]);
  };
}
