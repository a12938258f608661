// A category's extra questions as form fields, named answers[<code>] as the API reads
// them. Labels and choices come from the category (data edited in the admin).

import { element } from "./dom.js";

export function questionField(question, t) {
  const name = `answers[${question.code}]`;
  const control = controlFor(question, name);
  const error = element("p", "field__error");
  error.id = `report-error-answer-${question.code}`;
  error.setAttribute("aria-live", "polite");
  const label = question.required ? `${question.label} *` : question.label;
  const heading = element("span", null, label);
  if (question.required) heading.title = t.required;
  const labelled = question.datatype === "multivaluelist"
    ? element("fieldset", "field__group", [element("legend", null, heading), control])
    : element("label", "field__label", [heading, control]);
  const wrapper = element("div", "field", [labelled, error]);
  wrapper.dataset.field = `answers.${question.code}`;
  return { wrapper, error };
}

function controlFor(question, name) {
  switch (question.datatype) {
    case "number":
      return input(name, "number", { step: "any" });
    case "text":
      return Object.assign(element("textarea"), { name, rows: 2, maxLength: 1000 });
    case "singlevaluelist": {
      const select = Object.assign(element("select"), { name });
      select.append(new Option("—", ""));
      for (const value of question.values) select.append(new Option(value.name, value.key));
      return select;
    }
    case "multivaluelist":
      return element("div", "field__choices", question.values.map((value) =>
        element("label", "field__check", [
          input(name, "checkbox", { value: value.key }),
          element("span", null, value.name),
        ]),
      ));
    default:
      return input(name, "text", { maxLength: 1000 });
  }
}

function input(name, type, extra) {
  return Object.assign(element("input"), { name, type, ...extra });
}
