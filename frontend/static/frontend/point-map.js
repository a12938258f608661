// The small map of one thing's page (an event, a contest entry, a forum project):
// its point, and its area when it has one, on the basemap. The page embeds
// {point: [lat, lon], basemap: {url, attribution}, area?: GeoJSON} as JSON.

export function pointMap(configId, elementId, { colour, radius = 9 }) {
  const config = JSON.parse(document.getElementById(configId).textContent);
  const element = document.getElementById(elementId);
  if (!element || !window.L) return null;
  const map = L.map(element, { scrollWheelZoom: false }).setView(config.point, 16);
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  if (config.area) {
    const area = L.geoJSON(config.area, { style: { color: colour, weight: 2 } });
    area.addTo(map);
    map.fitBounds(area.getBounds().pad(0.2), { maxZoom: 17 });
  }
  L.circleMarker(config.point, {
    radius, color: colour, weight: 3, fillOpacity: 0.6,
  }).addTo(map);
  return map;
}
