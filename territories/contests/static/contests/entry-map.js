// An entry page's small map: the entry's point on the basemap.

const config = JSON.parse(document.getElementById("entry-config").textContent);
const element = document.getElementById("entry-map");

if (element && window.L) {
  const map = L.map(element, { scrollWheelZoom: false }).setView(config.point, 16);
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  L.circleMarker(config.point, {
    radius: 9, color: "#c62828", weight: 3, fillOpacity: 0.6,
  }).addTo(map);
}
