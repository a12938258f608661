// Symbology of the layers: colours, drawing order, the zoom a layer appears from and
// which layers are on at first. The layer list itself comes from the catalogue; a layer
// not described here still gets drawn with a colour of its own.

const KNOWN = {
  territories: {
    colour: "#6a3d9a", fillOpacity: 0.07, weight: 2, dashArray: "6 4",
    order: 1, minZoom: 0, on: true,
  },
  yards: { colour: "#33a02c", fillOpacity: 0.25, weight: 1, order: 2, minZoom: 13 },
  // The district has thousands of buildings: only load them for a few streets. Drawn
  // from tiles (tiled-layer.js), the TileJSON's minzoom replaces minZoom here.
  buildings: { colour: "#8d6e63", fillOpacity: 0.55, weight: 1, order: 3, minZoom: 15 },
  // Grounds are small: a thick outline keeps them visible as dots at city zoom.
  grounds: {
    colour: "#607d8b", fillOpacity: 0.6, weight: 3, order: 4, minZoom: 0, on: true,
    byProperty: "kind",
    colours: { sport: "#1f78b4", playground: "#ff7f00", other: "#607d8b" },
  },
  trees: { colour: "#2e7d32", order: 5, minZoom: 0 },
  container_sites: { colour: "#546e7a", order: 6, minZoom: 0 },
  resource_centres: { colour: "#d81b60", order: 7, minZoom: 0, on: true, size: 18 },
  // Upcoming events (not yet ended, not cancelled); the popup links to the page.
  // Cyan: apart from the centres' magenta, where events in a room stand.
  events: { colour: "#0097a7", order: 9, minZoom: 0, on: true, size: 18 },
  // Contest entries (approved ones); the popup shows the place once published and
  // links to the entry's page. Amber: apart from the events' cyan, the centres'
  // magenta and the reports' status colours.
  contest_entries: { colour: "#ffb300", order: 10, minZoom: 0, on: true, size: 16 },
  // The forum's projects admitted to the vote (purple) and the winners being
  // carried out, by status (docs/domain.md, "Forum"); off until asked for.
  forum_projects: { colour: "#6a1b9a", order: 11, minZoom: 0, size: 16 },
  implementation_projects: {
    colour: "#6a1b9a", order: 12, minZoom: 0, size: 16,
    byProperty: "status",
    colours: { planned: "#9e9e9e", in_progress: "#f57c00", done: "#388e3c" },
  },
  // Residents' reports, coloured by where they are in the workflow. The legend (and
  // the status filter) shows groups: statuses that mean the same to a resident.
  reports: {
    colour: "#37474f", order: 8, minZoom: 0, on: true, size: 18,
    byProperty: "status",
    colours: {
      moderation: "#9e9e9e",
      open: "#d32f2f",
      in_progress: "#f57c00",
      planned: "#f57c00",
      fixed: "#388e3c",
      closed: "#455a64",
      duplicate: "#455a64",
      not_responsible: "#455a64",
    },
    legend: [
      ["moderation"],
      ["open"],
      ["in_progress", "planned"],
      ["fixed"],
      ["closed", "duplicate", "not_responsible"],
    ],
  },
};

const SPARE_COLOURS = ["#b15928", "#a6cee3", "#fb9a99", "#cab2d6", "#e6ab02"];
// A big polygon layer we know nothing about waits for a street-level zoom too.
const BIG_LAYER = 3000;

export function styleFor(meta, index) {
  const known = KNOWN[meta.name];
  const isPoint = /Point/.test(meta.geometry_type);
  const fallback = {
    colour: SPARE_COLOURS[index % SPARE_COLOURS.length],
    fillOpacity: 0.4,
    weight: 2,
    order: 10 + index,
    minZoom: !isPoint && meta.count > BIG_LAYER ? 15 : 0,
  };
  return { size: 12, on: false, ...fallback, ...known, isPoint };
}

// Colour of one feature: by a property's value where the layer is split that way.
export function colourOf(style, properties) {
  if (!style.byProperty) return style.colour;
  return style.colours[properties?.[style.byProperty]] ?? style.colour;
}

// Leaflet path options of a polygon or line feature.
export function pathOptions(style, feature, pane, name) {
  const colour = colourOf(style, feature.properties);
  return {
    pane,
    color: colour,
    weight: style.weight,
    dashArray: style.dashArray,
    fillColor: colour,
    fillOpacity: style.fillOpacity,
    className: `feature feature--${name}`,
  };
}
