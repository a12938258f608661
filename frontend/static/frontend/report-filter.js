// The reports' filter, folded under their row in the layer panel: status groups (the
// legend's), a category and an age. A change reloads the layer with those parameters.

import { element } from "./dom.js";
import { groupLabel, legendGroups } from "./panel.js";
import { colourOf } from "./styles.js";

const AGES = ["", "7", "30", "90", "365"];

export function addReportFilter(layer, labels, categories) {
  const t = labels.report;
  const statusBoxes = legendGroups(layer.style).map((values) =>
    statusOption(layer.style, labels.values.reports, values),
  );
  const category = select(
    "category",
    [["", t.allCategories], ...categories.map((c) => [c.code, c.name])],
  );
  const age = select("age", AGES.map((days) => [days, t[days ? `age${days}` : "ageAll"]]));

  const apply = () => layer.setParams(params(statusBoxes, category, age));
  const form = element("form", "report-filter__form", [
    element("fieldset", "report-filter__statuses", [
      element("legend", null, t.filterStatus),
      ...statusBoxes.map((option) => option.label),
    ]),
    labelled(t.filterCategory, category),
    labelled(t.filterAge, age),
  ]);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());

  const details = element("details", "report-filter", [
    element("summary", "report-filter__summary", t.filter),
    form,
  ]);
  layer.row.row.append(details);
  return {
    // After a new report: make sure it is among what the filter shows.
    showNew() {
      statusBoxes[0].input.checked = true;
      age.value = "";
      apply();
    },
  };
}

function statusOption(style, valueLabels, values) {
  const input = element("input");
  input.type = "checkbox";
  input.name = "status";
  input.value = values.join(",");
  input.checked = true;
  const dot = element("span", "symbol symbol--point");
  dot.style.setProperty("--colour", colourOf(style, { [style.byProperty]: values[0] }));
  const label = element("label", "report-filter__status", [
    input,
    dot,
    element("span", null, groupLabel(style, valueLabels, values)),
  ]);
  return { input, label };
}

function select(name, options) {
  const node = element("select");
  node.name = name;
  for (const [value, text] of options) {
    const option = element("option", null, text);
    option.value = value;
    node.append(option);
  }
  return node;
}

function labelled(text, control) {
  return element("label", "report-filter__field", [element("span", null, text), control]);
}

// Query parameters of the layer; null when no status is ticked (nothing to show).
function params(statusBoxes, category, age) {
  const ticked = statusBoxes.filter((option) => option.input.checked);
  if (ticked.length === 0) return null;
  const result = {};
  if (ticked.length < statusBoxes.length) {
    result.status = ticked.map((option) => option.input.value).join(",");
  }
  if (category.value) result.category = category.value;
  if (age.value) result.age = age.value;
  return result;
}
