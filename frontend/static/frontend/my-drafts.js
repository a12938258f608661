// A chair's or an initiative group's own unapproved boundaries, dashed over the map:
// only approved boundaries are public (the `territories` layer), drafts come from the
// boundaries API to those who may edit them (GET /api/territories/?mine=1, then each
// territory's `draft`).

import { element, interpolate } from "./dom.js";
import { getJson } from "./api.js";

const STYLE = { color: "#e66100", weight: 3, dashArray: "8 6", fillOpacity: 0.08 };

export async function addMyDrafts(map, config, messages) {
  const mine = await getJson(config.listUrl, { mine: 1 });
  const pending = mine.filter((territory) => territory.state !== "approved");
  const details = await Promise.all(
    pending.map((territory) => getJson(`${config.listUrl}${territory.id}/`, {})),
  );
  map.createPane("my-drafts").style.zIndex = "450";
  const group = L.featureGroup().addTo(map);
  for (const detail of details) {
    if (!detail.draft?.geometry) continue;
    const layer = L.geoJSON(detail.draft.geometry, {
      pane: "my-drafts",
      style: () => STYLE,
      className: "my-draft",
    });
    layer.bindPopup(() => popup(detail, messages));
    group.addLayer(layer);
  }
  return group;
}

function popup(detail, messages) {
  const link = element("a", null, messages.openTerritory);
  link.href = detail.links.page;
  return element("div", "my-draft-popup", [
    element("strong", null, interpolate(messages.myDraft, { name: detail.name })),
    element("p", null, detail.draft.properties.state_display),
    link,
  ]);
}
