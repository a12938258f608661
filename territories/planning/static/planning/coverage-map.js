// The planner's map: buildings coloured by the coverage API's GeoJSON (covered,
// uncovered, without residents), the grounds of the kind with their zones of
// access, and the approved TOS boundaries.
//
// A zone of access is the ground's outline widened by the radius (a buffer): every
// point within the radius of the ground. It is drawn, not computed: the outline is
// stroked with a line 2 × radius wide with round joins, which covers exactly the
// points within the radius of the outline, and filled, which covers the inside. The
// width in pixels follows the zoom. The zones sit in a pane of their own whose
// opacity is set once (planning.css), so where zones overlap the colour does not
// darken.

import { element } from "../frontend/dom.js";

export const COLOURS = {
  covered: "#1a7f37",
  uncovered: "#c01c28",
  nobody: "#9a9996",
  ground: "#1c71d8",
  area: "#62a0ea",
  territory: "#6a3d9a",
  site: "#e66100",
};

const EARTH_CIRCUMFERENCE_M = 40075016.686;

export class CoverageMap {
  constructor(id, config, { messages, fmt }) {
    Object.assign(this, { messages, fmt });
    this.map = L.map(id, { center: config.center, zoom: config.zoom, maxZoom: 19 });
    L.tileLayer(config.basemap.url, {
      attribution: config.basemap.attribution,
      maxZoom: 19,
    }).addTo(this.map);
    const pane = this.map.createPane("serviceAreas");
    pane.classList.add("plan-area-pane");
    this.areaRenderer = L.svg({ pane: "serviceAreas" });
    this.buildingRenderer = L.canvas({ padding: 0.3 });
    this.territories = L.featureGroup().addTo(this.map);
    this.areas = L.featureGroup().addTo(this.map);
    this.buildings = L.featureGroup().addTo(this.map);
    this.grounds = L.featureGroup().addTo(this.map);
    this.radius = 0;
    this.map.on("zoomend", () => this.widenAreas());
  }

  showTerritories(collection) {
    this.territories.clearLayers();
    L.geoJSON(collection, {
      style: { color: COLOURS.territory, weight: 2, dashArray: "6 4", fill: false },
      interactive: false,
    }).eachLayer((layer) => this.territories.addLayer(layer));
    this.territoryLayers = new Map(
      this.territories.getLayers().map((layer) => [String(layer.feature.id), layer]),
    );
  }

  // The chosen TOS's boundary drawn solid and bolder; none for the whole district.
  highlightTerritory(id) {
    for (const [key, layer] of this.territoryLayers ?? []) {
      const chosen = key === String(id);
      layer.setStyle({ weight: chosen ? 3 : 2, dashArray: chosen ? null : "6 4" });
    }
  }

  // The bounds of a TOS by id, or null.
  territoryBounds(id) {
    return this.territoryLayers?.get(String(id))?.getBounds() ?? null;
  }

  showBuildings(collection) {
    this.buildings.clearLayers();
    L.geoJSON(collection, {
      renderer: this.buildingRenderer,
      style: (feature) => buildingStyle(feature.properties),
      onEachFeature: (feature, layer) =>
        layer.bindPopup(() => this.buildingPopup(feature.properties)),
    }).eachLayer((layer) => this.buildings.addLayer(layer));
  }

  showGrounds(collection, radius) {
    this.radius = radius;
    this.grounds.clearLayers();
    this.areas.clearLayers();
    for (const feature of collection.features) {
      this.grounds.addLayer(
        L.geoJSON(feature, {
          style: { color: COLOURS.ground, weight: 2, fillOpacity: 0.35 },
          onEachFeature: (f, layer) => layer.bindPopup(() => this.groundPopup(f.properties)),
        }),
      );
      this.areas.addLayer(
        L.geoJSON(feature, {
          renderer: this.areaRenderer,
          pane: "serviceAreas",
          interactive: false,
          style: {
            color: COLOURS.area,
            fillColor: COLOURS.area,
            opacity: 1,
            fillOpacity: 1,
            lineJoin: "round",
            lineCap: "round",
            noClip: true,
          },
        }),
      );
    }
    this.widenAreas();
  }

  // Each zone's stroke is 2 × radius wide at the ground's latitude and this zoom.
  widenAreas() {
    const zoom = this.map.getZoom();
    this.areas.eachLayer((group) =>
      group.eachLayer((layer) => {
        const lat = layer.getBounds().getCenter().lat;
        layer.setStyle({ weight: (2 * this.radius) / metresPerPixel(lat, zoom) });
        layer.redraw();
      }),
    );
  }

  // Everything shown, for fitting the view.
  bounds() {
    const bounds = L.latLngBounds([]);
    for (const group of [this.buildings, this.grounds]) {
      if (group.getLayers().length) bounds.extend(group.getBounds());
    }
    return bounds.isValid() ? bounds : null;
  }

  fit(bounds) {
    if (bounds) this.map.fitBounds(bounds, { padding: [12, 12], maxZoom: 17 });
  }

  buildingPopup(properties) {
    const { messages, fmt } = this;
    const lines = [
      element("strong", null, properties.address || "—"),
      element(
        "span",
        null,
        fmt.interpolate(messages.residents, { n: fmt.count(properties.residents) }),
      ),
      element(
        "span",
        null,
        properties.distance_m === null || properties.distance_m === undefined
          ? messages.noGround
          : fmt.interpolate(messages.distance, {
              distance: fmt.count(properties.distance_m),
            }),
      ),
    ];
    const state = buildingState(properties);
    lines.push(element("span", `popup-state state-${state}`, messages[state]));
    return element("div", "plan-popup", lines);
  }

  groundPopup(properties) {
    const { messages, fmt } = this;
    return element("div", "plan-popup", [
      element("strong", null, properties.name || "—"),
      element(
        "span",
        null,
        fmt.interpolate(messages.groundArea, { area: fmt.squareMetres(properties.area_m2) }),
      ),
    ]);
  }
}

export function buildingState(properties) {
  if (!properties.residents) return "nobody";
  return properties.covered ? "covered" : "uncovered";
}

function buildingStyle(properties) {
  const colour = COLOURS[buildingState(properties)];
  return { color: colour, weight: 1, fillColor: colour, fillOpacity: 0.7 };
}

// Web Mercator's scale at a latitude: metres on the ground per screen pixel.
function metresPerPixel(lat, zoom) {
  return (EARTH_CIRCUMFERENCE_M * Math.cos((lat * Math.PI) / 180)) / 2 ** (zoom + 8);
}
