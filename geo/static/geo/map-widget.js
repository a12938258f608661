// Starts the admin's map widget (geo/widgets.py) where Django's template had an
// inline script, which the Content-Security-Policy refuses (docs/security.md,
// "Headers"). Runs right after the widget's markup, as that script did; the options
// come from the json_script block this script's data-options names.
"use strict";
(() => {
  const script = document.currentScript;
  const options = JSON.parse(document.getElementById(script.dataset.options).textContent);
  const { basemap_url: url, module, ...widget } = options;
  widget.base_layer = new ol.layer.Tile({ source: new ol.source.XYZ({ url }) });
  // Django's script left the widget in a global of this name; keep it there.
  window[module] = new MapWidget(widget);
})();
