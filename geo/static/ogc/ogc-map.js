// The small map of an OGC API – Features HTML page (geo/templates/ogc/page.html): the
// page's features, read from its json_script block, over the site's basemap. The
// table and links work without it.
const data = JSON.parse(document.getElementById("ogc-features").textContent);
const basemap = JSON.parse(document.getElementById("ogc-basemap").textContent);
const element = document.getElementById("ogc-map");
const map = L.map(element);
L.tileLayer(basemap.url, { attribution: basemap.attribution, maxZoom: 19 }).addTo(map);
const features = L.geoJSON(data, {
  onEachFeature: (feature, layer) => layer.bindTooltip(String(feature.id)),
}).addTo(map);
const bounds = features.getBounds();
if (bounds.isValid()) {
  map.fitBounds(bounds, { maxZoom: 17, padding: [10, 10] });
} else {
  map.setView(basemap.centre, basemap.zoom);
}
element.dataset.features = String(features.getLayers().length);
