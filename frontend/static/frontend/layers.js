// One catalogue layer on the map: fetches the features of the visible area (bbox),
// draws them — points clustered — and keeps only what the last answer contained.
// A bounded layer (its catalogue entry's `bound`, docs/architecture.md, "Bounded
// layers") is asked with the zoom too: below `bound.cluster_below` it answers with
// clusters counted by the server, and an answer cut at `bound.limit` says so
// (`limited`), which the map shows as a notice.

import { featureName } from "./popup.js";
import { colourOf, pathOptions } from "./styles.js";

// Load a margin around the view so that small pans need no new request.
const MARGIN = 0.25;

// What every layer of the map has, drawn from GeoJSON (DataLayer) or from vector
// tiles (TiledLayer, tiled-layer.js): its checkbox state, its zoom threshold and the
// status it reports to the layer list.
export class MapLayer {
  constructor(map, meta, style, { title, popup, onStatus }) {
    Object.assign(this, { map, meta, style, title, popup, onStatus });
    this.wanted = style.on;
  }

  // Own pane per layer: the drawing order is the style's, whatever loads first.
  createOwnPane() {
    this.pane = `layer-${this.meta.name}`;
    this.map.createPane(this.pane).style.zIndex = String(this.zIndex);
  }

  // The z-index of its pane: above Leaflet's overlay pane (400), in the style's order.
  get zIndex() {
    return 400 + this.style.order;
  }

  get visibleAtZoom() {
    return this.map.getZoom() >= this.style.minZoom;
  }

  report(status) {
    this.status = status;
    this.onStatus(this);
  }
}

export class DataLayer extends MapLayer {
  constructor(map, meta, style, options) {
    super(map, meta, style, options);
    this.params = {}; // attribute filters sent with bbox; null: nothing matches
    this.features = new Map(); // feature id → Leaflet layer
    this.loadedBounds = null; // the area the drawn features were fetched for
    this.controller = null; // AbortController of the request in flight
    this.group = style.isPoint ? this.clusterGroup() : this.polygonGroup();
    this.bound = meta.bound ?? null;
    this.loadedZoom = null; // the zoom a bounded layer's answer was asked for
    this.limited = null; // {shown, matched} when the last answer was cut
    this.serverClusters = L.layerGroup(); // the server's clusters, never re-clustered
  }

  polygonGroup() {
    this.createOwnPane();
    return L.featureGroup();
  }

  clusterGroup() {
    const { colour } = this.style;
    return L.markerClusterGroup({
      chunkedLoading: true,
      showCoverageOnHover: false,
      // Tighter clusters close up, where people look for single trees.
      maxClusterRadius: (zoom) => (zoom >= 16 ? 30 : 45),
      disableClusteringAtZoom: 18,
      iconCreateFunction: (cluster) => clusterIcon(this.meta.name, colour, cluster),
    });
  }

  // Brings the layer in line with the checkbox and the view; fetches when needed.
  refresh() {
    const shown = this.wanted && this.visibleAtZoom;
    if (!shown) {
      this.abort();
      this.group.remove();
      this.serverClusters.remove();
      this.report(this.wanted ? "zoom" : "idle");
      return;
    }
    this.group.addTo(this.map);
    this.serverClusters.addTo(this.map);
    const sameZoom = !this.bound || this.loadedZoom === this.map.getZoom();
    if (sameZoom && this.loadedBounds?.contains(this.map.getBounds())) {
      this.report("idle");
      return;
    }
    this.load(this.map.getBounds().pad(MARGIN));
  }

  // New filters: the drawn features no longer answer the question.
  setParams(params) {
    this.params = params;
    this.reload();
  }

  // Fetches again even if the view has not moved (after a change of the data).
  reload() {
    this.loadedBounds = null;
    this.refresh();
  }

  abort() {
    this.controller?.abort();
    this.controller = null;
  }

  async load(bounds) {
    this.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.report("loading");
    try {
      const zoom = this.map.getZoom();
      const params = this.bound ? { ...this.params, zoom } : this.params;
      const collection = this.params
        ? await fetchFeatures(this.meta.url, bounds, controller.signal, params)
        : { features: [] };
      controller.signal.throwIfAborted(); // a newer view took over meanwhile
      const clusters = collection.features.filter((f) => f.properties?.cluster);
      this.replaceFeatures(collection.features.filter((f) => !f.properties?.cluster));
      this.replaceClusters(clusters);
      this.limited = collection.limited
        ? { shown: collection.features.length, matched: collection.numberMatched }
        : null;
      this.loadedBounds = bounds;
      this.loadedZoom = zoom;
      this.report("idle");
    } catch (error) {
      if (error.name === "AbortError") return;
      console.error(`layer ${this.meta.name}:`, error);
      this.report("error");
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }

  // Keeps features already drawn and unchanged (open popups survive a pan), adds new
  // ones and drops those outside the new area or changed since (a new status).
  replaceFeatures(features) {
    const incoming = new Map(features.map((feature) => [feature.id, feature]));
    const gone = [];
    for (const [id, layer] of this.features) {
      if (!incoming.has(id) || changed(layer.feature, incoming.get(id))) {
        gone.push(layer);
        this.features.delete(id);
      }
    }
    const added = [];
    for (const [id, feature] of incoming) {
      if (this.features.has(id)) continue;
      const layer = this.featureLayer(feature);
      this.features.set(id, layer);
      added.push(layer);
    }
    this.removeLayers(gone);
    this.addLayers(added);
  }

  // The server's clusters are few and change with every zoom: drawn anew each time.
  replaceClusters(clusters) {
    this.serverClusters.clearLayers();
    for (const feature of clusters) {
      this.serverClusters.addLayer(this.clusterMarker(feature));
    }
  }

  // A disc with the count; a click zooms to the cluster's reports.
  clusterMarker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const { count, extent } = feature.properties;
    const marker = L.marker([lat, lon], {
      icon: countIcon(this.meta.name, this.style.colour, count, true),
      title: String(count),
      zIndexOffset: this.style.order * 100,
    });
    marker.feature = feature;
    marker.on("click", () => this.zoomInto(extent, [lat, lon]));
    return marker;
  }

  zoomInto([minlon, minlat, maxlon, maxlat], centre) {
    const bounds = L.latLngBounds([minlat, minlon], [maxlat, maxlon]);
    const fitting = this.map.getBoundsZoom(bounds.pad(0.2));
    const zoom = Math.max(
      Math.min(this.bound.cluster_below, fitting),
      this.map.getZoom() + 1,
    );
    this.map.setView(bounds.isValid() ? bounds.getCenter() : centre, zoom);
  }

  removeLayers(list) {
    if (this.group.removeLayers) this.group.removeLayers(list);
    else list.forEach((layer) => this.group.removeLayer(layer));
  }

  addLayers(list) {
    if (this.group.addLayers) this.group.addLayers(list);
    else list.forEach((layer) => this.group.addLayer(layer));
  }

  featureLayer(feature) {
    const layer = this.style.isPoint
      ? this.marker(feature)
      : L.GeoJSON.geometryToLayer(
          feature,
          pathOptions(this.style, feature, this.pane, this.meta.name),
        );
    layer.feature = feature;
    layer.bindPopup(this.popup(this.meta, this.title), popupOptions());
    return layer;
  }

  marker(feature) {
    const [lon, lat] = feature.geometry.coordinates;
    const { size } = this.style;
    return L.marker([lat, lon], {
      icon: pointIcon(this.meta.name, colourOf(this.style, feature.properties), size),
      title: featureName(feature), // a hover hint, and a name for screen readers
      zIndexOffset: this.style.order * 100,
    });
  }
}

function changed(old, fresh) {
  return JSON.stringify(old) !== JSON.stringify(fresh);
}

async function fetchFeatures(url, bounds, signal, params) {
  const target = new URL(url, window.location.href);
  target.searchParams.set("bbox", bboxParam(bounds));
  for (const [key, value] of Object.entries(params)) {
    target.searchParams.set(key, value);
  }
  const response = await fetch(target, {
    signal,
    headers: { Accept: "application/geo+json, application/json" },
  });
  if (!response.ok) throw new Error(await errorText(response));
  return response.json();
}

async function errorText(response) {
  try {
    const body = await response.json();
    return `${response.status} ${body.field}: ${body.error}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

// minlon,minlat,maxlon,maxlat clamped to the world: at low zoom the view is wider
// than the API accepts.
export function bboxParam(bounds) {
  const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value)).toFixed(5);
  return [
    clamp(bounds.getWest(), 180),
    clamp(bounds.getSouth(), 90),
    clamp(bounds.getEast(), 180),
    clamp(bounds.getNorth(), 90),
  ].join(",");
}

export function popupOptions() {
  return {
    maxWidth: Math.min(320, window.innerWidth - 60),
    autoPanPadding: [16, 16],
    // Keep the popup clear of the controls along the top edge, and of the report
    // button, which sits below the zoom buttons on a phone.
    autoPanPaddingTopLeft: [16, topControlsHeight()],
  };
}

// Only on a phone's width (map.css's 600px), where the report button sits below the
// zoom buttons; on a wide screen the fixed padding clears the controls.
const PHONE = window.matchMedia("(max-width: 600px)");

function topControlsHeight() {
  if (!PHONE.matches) return 56;
  const map = document.getElementById("map");
  const button = document.querySelector(".report-button:not([hidden])");
  if (!map || !button) return 56;
  const bottom = button.getBoundingClientRect().bottom - map.getBoundingClientRect().top;
  return Math.max(56, Math.ceil(bottom) + 8);
}

// Marker and cluster icons are drawn by CSS; the only markup is ours, with a count —
// never feature data. The colour is set on the element, not written as a style
// attribute, which the Content-Security-Policy refuses (docs/security.md, "Headers").
const icons = new Map();
let ColouredIcon = null;

function colouredIcon(options) {
  ColouredIcon ??= L.DivIcon.extend({
    createIcon(oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      div.firstElementChild.style.background = this.options.colour;
      return div;
    },
  });
  return new ColouredIcon(options);
}

function pointIcon(name, colour, size) {
  const key = `${name}|${colour}`;
  if (!icons.has(key)) {
    const html = '<span class="poi__dot"></span>';
    const className = `poi poi--${name}`;
    icons.set(key, colouredIcon({ className, html, colour, iconSize: [size, size] }));
  }
  return icons.get(key);
}

function clusterIcon(name, colour, cluster) {
  return countIcon(name, colour, cluster.getChildCount());
}

function countIcon(name, colour, count, counted = false) {
  const size = count < 10 ? 26 : count < 100 ? 32 : 40;
  return colouredIcon({
    className: `cluster cluster--${name}${counted ? " cluster--counted" : ""}`,
    html: `<span class="cluster__disc">${count}</span>`,
    colour,
    iconSize: [size, size],
  });
}
