// The submission form's map: draw one point (marker) or one area (polygon) with
// Leaflet-Geoman; the drawn shape goes to the hidden `geometry` field as GeoJSON
// (EPSG:4326). The server checks it (inside the district, valid); nothing here decides.

const config = JSON.parse(document.getElementById("forum-config").textContent);
const element = document.getElementById("forum-form-map");
const field = document.getElementById("id_geometry");

function keepOnly(map, layer) {
  map.pm.getGeomanLayers().forEach((other) => {
    if (other !== layer) other.remove();
  });
}

function store(layer) {
  field.value = layer ? JSON.stringify(layer.toGeoJSON().geometry) : "";
}

if (element && window.L) {
  const map = L.map(element).setView(config.center, config.zoom);
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  if (map.pm) {
    map.pm.setLang(config.lang === "ru" ? "ru" : "en");
    map.pm.addControls({
      position: "topleft",
      drawMarker: true,
      drawPolygon: true,
      drawCircleMarker: false,
      drawPolyline: false,
      drawRectangle: false,
      drawCircle: false,
      drawText: false,
      cutPolygon: false,
      rotateMode: false,
    });
    map.on("pm:create", (event) => {
      keepOnly(map, event.layer);
      store(event.layer);
      event.layer.on("pm:edit pm:dragend", () => store(event.layer));
    });
    map.on("pm:remove", () => store(map.pm.getGeomanLayers()[0]));
  }
  // A click without a tool chosen puts the point there.
  map.on("click", (event) => {
    if (map.pm && map.pm.Draw.getActiveShape && map.pm.Draw.getActiveShape()) return;
    const marker = L.marker(event.latlng).addTo(map);
    keepOnly(map, marker);
    store(marker);
  });
  if (field.value) {
    try {
      const drawn = L.geoJSON(JSON.parse(field.value)).addTo(map);
      map.fitBounds(drawn.getBounds(), { maxZoom: 17 });
    } catch (error) {
      field.value = "";
    }
  }
}
