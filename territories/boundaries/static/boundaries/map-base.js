// The boundary pages' map: the basemap, and the public layers a boundary is drawn
// against — the approved neighbours and the building footprints — fetched by bbox as
// the view moves. Geoman snaps to them (snapIgnore: false) but never edits them
// (pmIgnore: true).

import { bboxParam } from "../frontend/layers.js";

const RELOAD_DELAY_MS = 250;
// Footprints are many: fetched only for a few streets, as on the main map.
const BUILDINGS_MIN_ZOOM = 15;
const MARGIN = 0.25;

export const STYLES = {
  approved: { color: "#1f78b4", weight: 3, fillOpacity: 0.08 },
  draft: { color: "#e66100", weight: 3, dashArray: "8 6", fillOpacity: 0.12 },
  neighbour: { color: "#6a3d9a", weight: 2, dashArray: "6 4", fillOpacity: 0.05 },
  building: { color: "#8d6e63", weight: 1, fillOpacity: 0.45 },
  editing: { color: "#1a7f37", weight: 3, fillOpacity: 0.15 },
  // Filled with the hatching of templates/boundaries/hatch.html.
  problem: { color: "#c01c28", weight: 2, fillColor: "url(#tos-hatch)", fillOpacity: 1 },
  versionA: { color: "#1f78b4", weight: 3, fillOpacity: 0.05 },
  versionB: { color: "#e66100", weight: 3, dashArray: "8 6", fillOpacity: 0.05 },
  added: { color: "#1a7f37", weight: 1, fillColor: "#2ec27e", fillOpacity: 0.55 },
  removed: { color: "#a51d2d", weight: 1, fillColor: "#e01b24", fillOpacity: 0.55 },
};

// Shapes that are shown, never edited nor cut, and not snapped to unless asked.
export function shownOnly(style, { snap = false } = {}) {
  return { ...style, pmIgnore: true, snapIgnore: !snap, interactive: false };
}

export function createMap(id, config) {
  const map = L.map(id, { center: config.center, zoom: config.zoom, maxZoom: 19 });
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  }).addTo(map);
  return map;
}

// Shows `geometry` (GeoJSON) with `style`; returns the layer, or null for none.
export function shape(map, geometry, style) {
  if (!geometry || !geometry.coordinates?.length) return null;
  return L.geoJSON(geometry, { style: () => style, ...style }).addTo(map);
}

// The approved neighbours (not `territoryId` itself) and the buildings around the
// view, kept in step with it. `onError(kind)` hears about a failed load.
export function addContext(map, config, { territoryId = null, onError = () => {} }) {
  const neighbours = new BboxLayer(map, config.api.territories, {
    style: shownOnly(STYLES.neighbour, { snap: true }),
    keep: (feature) => feature.id !== territoryId,
    onError: () => onError("territories"),
  });
  const buildings = new BboxLayer(map, config.api.buildings, {
    style: shownOnly(STYLES.building, { snap: true }),
    minZoom: BUILDINGS_MIN_ZOOM,
    onError: () => onError("buildings"),
  });
  const refresh = () => {
    neighbours.refresh();
    buildings.refresh();
  };
  map.on("moveend", debounce(refresh, RELOAD_DELAY_MS));
  refresh();
  return { neighbours, buildings };
}

class BboxLayer {
  constructor(map, url, { style, keep = () => true, minZoom = 0, onError }) {
    Object.assign(this, { map, url, style, keep, minZoom, onError });
    this.group = L.featureGroup().addTo(map);
    this.loadedBounds = null;
    this.controller = null;
  }

  refresh() {
    if (this.map.getZoom() < this.minZoom) {
      this.controller?.abort();
      this.group.clearLayers();
      this.loadedBounds = null;
      return;
    }
    if (this.loadedBounds?.contains(this.map.getBounds())) return;
    this.load(this.map.getBounds().pad(MARGIN));
  }

  async load(bounds) {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const target = new URL(this.url, window.location.href);
    target.searchParams.set("bbox", bboxParam(bounds));
    try {
      const response = await fetch(target, {
        signal: controller.signal,
        headers: { Accept: "application/geo+json, application/json" },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const collection = await response.json();
      controller.signal.throwIfAborted();
      this.group.clearLayers();
      const features = collection.features.filter(this.keep);
      L.geoJSON(features, { style: () => this.style, ...this.style }).eachLayer(
        (layer) => this.group.addLayer(layer),
      );
      this.group.bringToBack();
      this.loadedBounds = bounds;
    } catch (error) {
      if (error.name === "AbortError") return;
      console.error(`${this.url}:`, error);
      this.onError();
    }
  }
}

export function debounce(fn, delay) {
  let timer;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}
