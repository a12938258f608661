// Popup content of a feature: its properties with human labels, as DOM nodes.
// Every value goes in through textContent — feature data is never parsed as HTML.

import { element, interpolate } from "./dom.js";

// Properties that name a feature, in order of preference, to head its popup.
const TITLE_PROPERTIES = ["name", "title", "address", "species", "category_name"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_MOMENT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
// A feature's own page (an event's): a link under the properties, not a row.
const PAGE_PROPERTY = "url";
// Numbers that read wrong with digit grouping ("2 019").
const PLAIN_NUMBERS = new Set(["year"]);

export function popupFactory(labels, lang) {
  const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });
  const moments = new Intl.DateTimeFormat(lang, {
    dateStyle: "long",
    timeStyle: "short",
    timeZone: labels.timeZone,
  });

  function formatValue(layerName, key, value) {
    const known = labels.values[layerName]?.[key];
    if (known && Object.hasOwn(known, value)) return known[value];
    if (typeof value === "number") {
      return PLAIN_NUMBERS.has(key) ? String(value) : numbers.format(value);
    }
    if (typeof value === "string" && ISO_DATE.test(value)) {
      return dates.format(new Date(`${value}T00:00:00Z`));
    }
    if (typeof value === "string" && ISO_MOMENT.test(value)) {
      return moments.format(new Date(value));
    }
    return typeof value === "object" ? JSON.stringify(value) : String(value);
  }

  // Returns a function Leaflet calls when the popup opens: content is built lazily.
  return (layerMeta, layerTitle) => (leafletLayer) => {
    const feature = leafletLayer.feature;
    const properties = feature.properties || {};
    const titleKey = nameKey(properties);
    const heading = titleKey
      ? String(properties[titleKey])
      : interpolate(labels.messages.feature, { id: feature.id });

    const rows = element("dl", "popup__properties");
    for (const [key, value] of Object.entries(properties)) {
      if (key === titleKey || key === PAGE_PROPERTY || !isPresent(value)) continue;
      const label = labels.properties[layerMeta.name]?.[key] ?? key;
      rows.append(
        element("dt", "popup__label", label),
        element("dd", "popup__value", formatValue(layerMeta.name, key, value)),
      );
    }
    const parts = [
      element("p", "popup__layer", layerTitle),
      element("h2", "popup__title", heading),
      rows,
    ];
    // Only a path of this site: a feature's data never decides where a link leads.
    const page = properties[PAGE_PROPERTY];
    if (typeof page === "string" && /^\/[a-z]/.test(page)) {
      const link = element("a", "popup__link", labels.messages.openPage);
      link.href = page;
      parts.push(element("p", "popup__more", [link]));
    }
    return element("div", "popup", parts);
  };
}

// The property that names a feature, if it has one.
function nameKey(properties) {
  return TITLE_PROPERTIES.find((key) => isPresent(properties?.[key]));
}

export function featureName(feature) {
  const key = nameKey(feature.properties);
  return key ? String(feature.properties[key]) : "";
}

function isPresent(value) {
  return value !== null && value !== undefined && value !== "";
}
