// A project's small map: its area (if drawn) and its point.

const config = JSON.parse(document.getElementById("forum-config").textContent);
const element = document.getElementById("forum-project-map");

if (element && window.L) {
  const map = L.map(element, { scrollWheelZoom: false }).setView(config.point, 16);
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  if (config.area) {
    const area = L.geoJSON(config.area, { style: { color: "#6a1b9a", weight: 2 } });
    area.addTo(map);
    map.fitBounds(area.getBounds().pad(0.2), { maxZoom: 17 });
  }
  L.circleMarker(config.point, {
    radius: 8, color: "#6a1b9a", weight: 3, fillOpacity: 0.6,
  }).addTo(map);
}
