// Small DOM helpers. Text always goes in through textContent (via append of strings),
// so nothing we show is ever parsed as HTML.

// element("p", "note", "text") or element("ul", "list", [child, child]).
export function element(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content !== undefined && content !== null) {
    node.append(...(Array.isArray(content) ? content : [String(content)]));
  }
  return node;
}

// Fills Python-style "%(name)s" placeholders: translators see the same syntax in
// templates and in the strings this script shows, and msgfmt checks it.
export function interpolate(template, params) {
  return template.replace(/%\((\w+)\)s/g, (match, key) =>
    Object.hasOwn(params, key) ? String(params[key]) : match,
  );
}

export function readJson(id) {
  return JSON.parse(document.getElementById(id).textContent);
}
