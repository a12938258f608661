// Writes to the API from the page: the CSRF token Django expects, and the API's error
// format ({"field": ..., "error": ...}) turned into an exception that names the field.

export class ApiError extends Error {
  constructor(field, message, status, body = null) {
    super(message);
    Object.assign(this, { field, status, body });
  }
}

// The cookie set by the map view (ensure_csrf_cookie); the language switch's hidden
// field holds the same token should the cookie be unreadable.
function csrfToken() {
  const cookie = document.cookie
    .split("; ")
    .find((pair) => pair.startsWith("csrftoken="));
  if (cookie) return decodeURIComponent(cookie.slice("csrftoken=".length));
  return document.querySelector("input[name=csrfmiddlewaretoken]")?.value ?? "";
}

export async function postForm(url, body, signal) {
  const response = await fetch(url, {
    method: "POST",
    body,
    signal,
    credentials: "same-origin",
    headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
  });
  return answer(response);
}

// A JSON body (or none) with any method: the boundaries API takes GeoJSON this way.
export async function sendJson(url, method, body, signal) {
  const headers = { Accept: "application/json", "X-CSRFToken": csrfToken() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
    credentials: "same-origin",
    headers,
  });
  return answer(response);
}

export async function getJson(url, params, signal) {
  const target = new URL(url, window.location.href);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  const response = await fetch(target, { signal, headers: { Accept: "application/json" } });
  return answer(response);
}

async function answer(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON: an HTML error page or an empty body
  }
  if (response.ok) return body;
  const field = body?.field ?? "";
  const message = body?.error ?? body?.detail ?? `HTTP ${response.status}`;
  throw new ApiError(field, String(message), response.status, body);
}
