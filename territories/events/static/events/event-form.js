// The organiser's form: a click on the map sets the point (lon, lat) and chooses
// «точка на карте»; the yard and ground lists are shown only for their kind.

const config = JSON.parse(document.getElementById("event-config").textContent);
const form = document.querySelector(".event-form");
const lon = form.elements.lon;
const lat = form.elements.lat;
const element = document.getElementById("event-form-map");

function placeKind() {
  return form.querySelector("input[name=place_kind]:checked")?.value;
}

function showPlaceFields() {
  const kind = placeKind();
  for (const name of ["yard", "ground", "room"]) {
    const select = form.elements[name];
    select.closest("fieldset").querySelector(`label[for=${select.id}]`).hidden =
      kind !== name;
    select.hidden = kind !== name;
  }
}

form.addEventListener("change", (event) => {
  if (event.target.name === "place_kind") showPlaceFields();
});
showPlaceFields();

if (element && window.L) {
  const start = lat.value && lon.value ? [Number(lat.value), Number(lon.value)] : null;
  const map = L.map(element).setView(start || config.center, start ? 16 : config.zoom);
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  let marker = start ? L.circleMarker(start, { radius: 9, color: "#0097a7" }).addTo(map) : null;
  map.on("click", (event) => {
    const { lat: y, lng: x } = event.latlng;
    lat.value = y.toFixed(6);
    lon.value = x.toFixed(6);
    if (marker) marker.setLatLng(event.latlng);
    else marker = L.circleMarker(event.latlng, { radius: 9, color: "#0097a7" }).addTo(map);
    form.querySelector("input[name=place_kind][value=point]").checked = true;
    showPlaceFields();
  });
}
