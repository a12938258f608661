// The trees of a planting drive: each click on the map adds a tree with a species
// field; «Сохранить деревья» sends them all to the results API
// (POST /api/events/<id>/trees/), which stores all or none. The page holds no
// rules: a refusal comes back naming the tree and the field.

import { ApiError, sendJson } from "../frontend/api.js";
import { element, interpolate, readJson } from "../frontend/dom.js";

const config = readJson("results-config");
const { labels } = config;
const list = document.querySelector(".event-trees-list");
const status = document.querySelector(".event-trees-status");
const save = document.querySelector(".event-trees-save");
const pending = []; // {marker, input, lon, lat}

const map = L.map("trees-map").setView(config.center, config.zoom);
L.tileLayer(config.basemap.url, {
  attribution: config.basemap.attribution,
  maxZoom: 19,
}).addTo(map);

map.on("click", (event) => {
  const { lat, lng } = event.latlng;
  const marker = L.circleMarker([lat, lng], { radius: 6 }).addTo(map);
  const input = element("input");
  input.type = "text";
  input.maxLength = 200;
  input.setAttribute("aria-label", labels.species);
  input.placeholder = labels.species;
  const remove = element("button", "", labels.remove);
  remove.type = "button";
  const item = element("li", "", [input, remove]);
  const tree = { marker, input, lon: lng, lat, item };
  remove.addEventListener("click", () => {
    marker.remove();
    item.remove();
    pending.splice(pending.indexOf(tree), 1);
  });
  pending.push(tree);
  list.append(item);
  input.focus();
});

save.addEventListener("click", async () => {
  if (pending.length === 0) {
    status.textContent = labels.nothing;
    return;
  }
  const body = pending.map((t) => ({ lon: t.lon, lat: t.lat, species: t.input.value }));
  try {
    const answer = await sendJson(config.api.trees, "POST", body);
    for (const tree of pending.splice(0)) tree.item.remove();
    status.textContent = interpolate(labels.saved, { count: answer.added_trees.length });
  } catch (error) {
    const said = error instanceof ApiError ? `${error.field}: ${error.message}` : error;
    status.textContent = interpolate(labels.failed, { error: said });
  }
});
