// The API's refusals ({"field", "error"}) shown next to the control they name: an
// element with data-error-for="<field>" in the same part of the page, or the part's
// "general" line for a field it has no place for.

import { ApiError } from "../frontend/api.js";

export function clearErrors(scope) {
  scope.querySelectorAll("[data-error-for]").forEach((slot) => {
    slot.textContent = "";
  });
  scope.querySelectorAll("[aria-invalid]").forEach((control) => {
    control.removeAttribute("aria-invalid");
  });
}

export function showError(scope, error, networkMessage, fallback = "general") {
  const known = error instanceof ApiError;
  const field = known ? error.field : fallback;
  const slot =
    scope.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ??
    scope.querySelector(`[data-error-for="${CSS.escape(fallback)}"]`);
  if (slot) slot.textContent = known ? error.message : networkMessage;
  scope
    .querySelectorAll(`[name="${CSS.escape(field)}"]`)
    .forEach((control) => control.setAttribute("aria-invalid", "true"));
  if (!known) console.error(error);
}
