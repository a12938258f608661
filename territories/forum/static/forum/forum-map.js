// The forum's overview maps: each project (or implementation project) at its point,
// with its tally or status in the popup and a link to its page.

const config = JSON.parse(document.getElementById("forum-config").textContent);
const element = document.getElementById("forum-map");

function popup(item) {
  const box = document.createElement("div");
  const link = document.createElement("a");
  link.href = item.url;
  link.textContent = item.title;
  box.append(link);
  const note = document.createElement("div");
  note.textContent = item.status !== undefined ? item.status : `♥ ${item.votes}`;
  box.append(note);
  return box;
}

if (element && window.L) {
  const map = L.map(element, { scrollWheelZoom: false }).setView(config.center, config.zoom);
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  const markers = (config.projects || []).map((item) =>
    L.circleMarker(item.point, {
      radius: 8, color: "#6a1b9a", weight: 3, fillOpacity: 0.6,
    }).bindPopup(() => popup(item)),
  );
  if (markers.length) {
    const group = L.featureGroup(markers).addTo(map);
    map.fitBounds(group.getBounds().pad(0.3), { maxZoom: 16 });
  }
}
