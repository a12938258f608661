// The API's refusals ({"field", "error"}) shown next to the control they name: an
// element with data-error-for="<field>" in the same part of the page, or the part's
// "general" line for a field it has no place for (state, role, auth …).

import { ApiError } from "../frontend/api.js";

export function clearErrors(scope) {
  scope.querySelectorAll("[data-error-for]").forEach((slot) => {
    slot.textContent = "";
  });
}

export function showError(scope, error, networkMessage) {
  const known = error instanceof ApiError;
  const field = known ? error.field : "general";
  const slot =
    scope.querySelector(`[data-error-for="${CSS.escape(field)}"]`) ??
    scope.querySelector('[data-error-for="general"]');
  const text = known ? error.message : networkMessage;
  if (slot) slot.textContent = text;
  const control = scope.querySelector(`[name="${CSS.escape(field)}"]`);
  control?.setAttribute("aria-invalid", "true");
  control?.addEventListener("input", () => control.removeAttribute("aria-invalid"), {
    once: true,
  });
  if (!known) console.error(error);
}
