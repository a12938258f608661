// Popup content of a feature: its properties with human labels, as DOM nodes.
// Every value goes in through textContent — feature data is never parsed as HTML.

import { element, interpolate } from "./dom.js";

// Properties that name a feature, in order of preference, to head its popup.
const TITLE_PROPERTIES = ["name", "address", "species", "category_name"];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
// Numbers that read wrong with digit grouping ("2 019").
const PLAIN_NUMBERS = new Set(["year"]);

export function popupFactory(labels, lang) {
  const numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
  const dates = new Intl.DateTimeFormat(lang, { dateStyle: "long", timeZone: "UTC" });

  function formatValue(layerName, key, value) {
    const known = labels.values[layerName]?.[key];
    if (known && Object.hasOwn(known, value)) return known[value];
    if (typeof value === "number") {
      return PLAIN_NUMBERS.has(key) ? String(value) : numbers.format(value);
    }
    if (typeof value === "string" && ISO_DATE.test(value)) {
      return dates.format(new Date(`${value}T00:00:00Z`));
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
      if (key === titleKey || !isPresent(value)) continue;
      const label = labels.properties[layerMeta.name]?.[key] ?? key;
      rows.append(
        element("dt", "popup__label", label),
        element("dd", "popup__value", formatValue(layerMeta.name, key, value)),
      );
    }
    return element("div", "popup", [
      element("p", "popup__layer", layerTitle),
      element("h2", "popup__title", heading),
      rows,
    ]);
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
