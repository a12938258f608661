// The layer panel: one checkbox per catalogue layer with its map symbol, so the list
// doubles as the legend. It folds into a button on narrow screens.

import { element, interpolate } from "./dom.js";
import { colourOf } from "./styles.js";

const NARROW = window.matchMedia("(max-width: 600px)");

export function createPanel(map, messages) {
  const body = element("div", "layer-panel__body");
  body.id = "layer-panel-body";
  const list = element("ul", "layer-panel__list");
  const status = element("p", "layer-panel__status", messages.loading);
  body.append(list, status);

  const toggle = element("button", "layer-panel__toggle", messages.layers);
  toggle.type = "button";
  toggle.title = messages.toggleLayers;
  toggle.setAttribute("aria-controls", body.id);

  const root = element("section", "layer-panel leaflet-bar", [toggle, body]);
  root.setAttribute("aria-label", messages.layers);
  const setOpen = (open) => {
    root.classList.toggle("is-collapsed", !open);
    toggle.setAttribute("aria-expanded", String(open));
  };
  toggle.addEventListener("click", () =>
    setOpen(root.classList.contains("is-collapsed")),
  );
  setOpen(!NARROW.matches);

  const Control = L.Control.extend({
    onAdd() {
      L.DomEvent.disableClickPropagation(root);
      L.DomEvent.disableScrollPropagation(root);
      return root;
    },
  });
  new Control({ position: "topright" }).addTo(map);
  return { list, status };
}

// A row of the panel: checkbox, symbol, title, a status line and, for layers split
// by a property (ground kinds), the legend of each value.
export function layerRow(layer, valueLabels, onToggle) {
  const checkbox = element("input");
  checkbox.type = "checkbox";
  checkbox.checked = layer.wanted;
  checkbox.name = layer.meta.name;
  checkbox.addEventListener("change", () => onToggle(layer, checkbox.checked));

  const label = element("label", "layer-row__label", [
    checkbox,
    symbol(layer.style, null),
    element("span", "layer-row__title", layer.title),
  ]);
  const note = element("span", "layer-row__note");
  const row = element("li", "layer-row", [label, note]);
  row.dataset.layer = layer.meta.name;
  if (layer.style.byProperty) row.append(subLegend(layer.style, valueLabels));
  return { row, checkbox, note };
}

// One entry per value, or per group of values where the style lists groups.
function subLegend(style, valueLabels) {
  const groups = legendGroups(style);
  const items = groups.map((values) =>
    element("li", "legend-item", [
      symbol(style, { [style.byProperty]: values[0] }),
      element("span", null, groupLabel(style, valueLabels, values)),
    ]),
  );
  return element("ul", "layer-row__legend", items);
}

export function legendGroups(style) {
  return style.legend ?? Object.keys(style.colours).map((value) => [value]);
}

export function groupLabel(style, valueLabels, values) {
  const known = valueLabels?.[style.byProperty] ?? {};
  return values.map((value) => known[value] ?? value).join(" / ");
}

// The same shape the map draws: a dot for points, a filled square for areas.
function symbol(style, properties) {
  const node = element("span", style.isPoint ? "symbol symbol--point" : "symbol");
  const colour = colourOf(style, properties);
  node.style.setProperty("--colour", colour);
  if (style.dashArray) node.classList.add("symbol--dashed");
  node.setAttribute("aria-hidden", "true");
  return node;
}

// Text of a row's status line.
export function rowNote(layer, messages) {
  if (layer.status === "loading") return messages.loading;
  if (layer.status === "error") {
    return interpolate(messages.layerFailed, { title: layer.title });
  }
  if (!layer.visibleAtZoom) {
    return interpolate(messages.fromZoom, { zoom: layer.style.minZoom });
  }
  if (layer.meta.count === 0) return messages.empty;
  return "";
}
