// The map page: basemap, the catalogue's layers loaded by bbox as the view moves (the
// dense ones drawn from vector tiles instead), the layer panel and notices. Settings
// and translated strings come from the template (json_script), so this file holds no
// user-facing text.

import { element, interpolate, readJson } from "./dom.js";
import { DataLayer } from "./layers.js";
import { addMyDrafts } from "./my-drafts.js";
import { createPanel, layerRow, rowNote } from "./panel.js";
import { popupFactory } from "./popup.js";
import { addReportFilter } from "./report-filter.js";
import { createReportForm } from "./report-form.js";
import { reportPopupFactory } from "./report-popup.js";
import { styleFor } from "./styles.js";
import { TiledLayer, loadTileLibrary } from "./tiled-layer.js";

const RELOAD_DELAY_MS = 250;

const config = readJson("map-config");
const labels = readJson("map-labels");
const categories = readJson("report-categories");
const messages = labels.messages;
const lang = document.documentElement.lang || "ru";
const saved = readViewFromHash();
// A link with a tiled layer on: its library loads alongside the catalogue.
if (config.tiles.layers.some((name) => saved.layers?.has(name))) {
  loadTileLibrary(config.tiles.library).catch(() => {}); // the layer reports it
}

const map = L.map("map", {
  center: saved.center ?? config.center,
  zoom: saved.zoom ?? config.zoom,
  maxZoom: 19,
});
const notices = createNotices(map);
addBasemap(map, notices);
const panel = createPanel(map, messages);
const dataLayers = [];
createReportForm({
  map,
  config: config.reports,
  labels,
  categories,
  onSubmitted: showNewReport,
});
let reportFilter = null;
if (config.myDrafts) {
  addMyDrafts(map, config.myDrafts, messages).catch((error) =>
    console.error("my drafts:", error),
  );
}

loadCatalogue().then(start, (error) => {
  console.error("layer catalogue:", error);
  panel.status.textContent = messages.catalogueFailed;
  panel.status.classList.add("is-error");
  notices.set("catalogue", messages.catalogueFailed); // the panel may be folded
});

async function loadCatalogue() {
  const response = await fetch(config.catalogueUrl, {
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const catalogue = await response.json();
  await Promise.all(catalogue.filter((meta) => meta.map_tiles).map(addTileJson));
  return catalogue;
}

// A layer the catalogue says the map draws from tiles: its TileJSON tells where they
// are and from which zoom. Without it the layer is drawn from GeoJSON as any other.
// A plain fetch, as the page's <link rel=preload> asked for it: the same response.
async function addTileJson(meta) {
  try {
    const response = await fetch(meta.tilejson);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    meta.tileJson = await response.json();
  } catch (error) {
    console.warn(`TileJSON of ${meta.name}:`, error);
  }
}

function start(catalogue) {
  const popup = popupFactory(labels, lang);
  catalogue.forEach((meta, index) => {
    const style = styleFor(meta, index);
    const isReports = meta.name === "reports";
    const options = {
      title: meta.title?.[lang] || meta.title?.ru || meta.name,
      popup: isReports ? reportPopupFactory(labels, lang, categories, style) : popup,
      onStatus: showStatus,
      libraryUrl: config.tiles.library,
    };
    let layer;
    if (meta.tileJson) {
      style.minZoom = meta.tileJson.minzoom; // tiles make a layer cheap from there
      layer = new TiledLayer(map, meta, style, meta.tileJson, options);
    } else {
      layer = new DataLayer(map, meta, style, options);
    }
    if (saved.layers) layer.wanted = saved.layers.has(meta.name);
    layer.row = layerRow(layer, labels.values[meta.name], toggleLayer);
    panel.list.append(layer.row.row);
    if (isReports) reportFilter = addReportFilter(layer, labels, categories);
    dataLayers.push(layer);
  });
  panel.status.remove();
  refreshAll();
  map.on("moveend", debounce(refreshAll, RELOAD_DELAY_MS));
  map.on("zoomend", () => dataLayers.forEach(showStatus));
  map.on("moveend", writeViewToHash);
  map.getContainer().addEventListener("click", openTiledPopup, true);
  map.on("mousemove", pointAtTiledFeatures);
}

// The pointer over a tiled feature says it can be clicked, as over a GeoJSON one;
// asked at most once a frame.
let pointerFrame = null;
function pointAtTiledFeatures(event) {
  if (pointerFrame) return;
  pointerFrame = requestAnimationFrame(() => {
    pointerFrame = null;
    const over = dataLayers.some(
      (layer) => layer instanceof TiledLayer && layer.featureAt(event.latlng),
    );
    map.getContainer().classList.toggle("is-over-feature", over);
  });
}

// Tiles catch no clicks: the click goes to whatever lies below, the map or a GeoJSON
// feature of a lower layer (a TOS), whose popup handler stops it. So the map's
// container hears it first (capture phase) and asks the tiled layers drawn above the
// clicked element, topmost first, for a feature there; one that answers takes the
// click. A marker, a ground drawn above, a control or a popup keep theirs; so does
// the report form while a report is being placed.
function openTiledPopup(event) {
  const container = map.getContainer();
  if (container.classList.contains("is-reporting") || map.dragging?.moved()) return;
  const { target } = event;
  if (target !== container && !target.closest(".leaflet-map-pane")) return;
  const pane = target === container ? null : target.closest(".leaflet-pane");
  const above = pane ? Number(getComputedStyle(pane).zIndex) || 0 : 0;
  const latlng = map.mouseEventToLatLng(event);
  const opened = dataLayers
    .filter((layer) => layer instanceof TiledLayer && layer.zIndex > above)
    .sort((a, b) => b.style.order - a.style.order)
    .some((layer) => layer.openPopupAt(latlng));
  if (opened) event.stopPropagation();
}

function refreshAll() {
  dataLayers.forEach((layer) => layer.refresh());
}

// A report just sent: its layer on, its status among those shown, fetched anew.
function showNewReport() {
  const layer = dataLayers.find((candidate) => candidate.meta.name === "reports");
  if (!layer) return;
  layer.row.checkbox.checked = true;
  layer.wanted = true;
  layer.meta.count = (layer.meta.count ?? 0) + 1; // the row said «no features»
  writeViewToHash();
  reportFilter.showNew(); // reloads the layer
}

function toggleLayer(layer, wanted) {
  layer.wanted = wanted;
  layer.refresh();
  writeViewToHash();
}

// Row note and the map's "zoom in" hint follow the layer's state.
function showStatus(layer) {
  layer.row.note.textContent = rowNote(layer, messages);
  layer.row.row.classList.toggle("is-error", layer.status === "error");
  layer.row.row.classList.toggle("is-out-of-zoom", !layer.visibleAtZoom);
  const needsZoom = layer.wanted && !layer.visibleAtZoom;
  const hint = labels.zoomHints[layer.meta.name]
    ?? interpolate(messages.zoomIn, { title: layer.title });
  notices.set(`zoom-${layer.meta.name}`, needsZoom ? hint : null, () =>
    map.setZoom(layer.style.minZoom),
  );
  // An answer cut at the layer's bound is never silent (docs/architecture.md,
  // "Bounded layers"): the notice says so, and a click zooms in.
  const cut = layer.wanted && layer.visibleAtZoom ? layer.limited : null;
  const limitedText = cut
    ? interpolate(
        cut.matched == null ? messages.limitedUncounted : messages.limited,
        { title: layer.title, ...cut },
      )
    : null;
  notices.set(`limited-${layer.meta.name}`, limitedText, () => map.zoomIn());
}

// Offline or blocked tiles must not hide the data: the map keeps its own background,
// and a note says the basemap is missing until a tile does load.
function addBasemap(target, noticeBoard) {
  let loadedTiles = 0;
  L.tileLayer(config.basemap.url, {
    attribution: config.basemap.attribution,
    maxZoom: 19,
  })
    .on("tileload", () => {
      loadedTiles += 1;
      noticeBoard.set("basemap", null);
    })
    .on("tileerror", () => {
      if (loadedTiles === 0) noticeBoard.set("basemap", messages.basemapUnavailable);
    })
    .addTo(target);
}

// Short messages over the bottom of the map; one per key, a click may act on it.
function createNotices(target) {
  const box = element("div", "map-notices");
  box.setAttribute("aria-live", "polite");
  L.DomEvent.disableClickPropagation(box);
  target.getContainer().append(box);
  const shown = new Map();
  return {
    set(key, text, onClick) {
      shown.get(key)?.remove();
      shown.delete(key);
      if (!text) return;
      const notice = element(onClick ? "button" : "p", "map-notice", text);
      notice.dataset.notice = key;
      if (onClick) {
        notice.type = "button";
        notice.addEventListener("click", onClick);
      }
      box.append(notice);
      shown.set(key, notice);
    },
  };
}

// The view and the layers on live in the URL's #fragment, so a reload, a shared link
// or a language switch keeps them.
function readViewFromHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  const [zoom, lat, lon] = (params.get("map") || "").split("/").map(Number);
  const valid = [zoom, lat, lon].every(Number.isFinite) && params.has("map");
  return {
    zoom: valid ? zoom : null,
    center: valid ? [lat, lon] : null,
    layers: params.has("layers") ? new Set(params.get("layers").split(",")) : null,
  };
}

function writeViewToHash() {
  const { lat, lng } = map.getCenter();
  const params = new URLSearchParams();
  params.set("map", `${map.getZoom()}/${lat.toFixed(5)}/${lng.toFixed(5)}`);
  if (dataLayers.length) {
    const on = dataLayers.filter((layer) => layer.wanted);
    params.set("layers", on.map((layer) => layer.meta.name).join(","));
  }
  const hash = `#${params.toString().replaceAll("%2F", "/").replaceAll("%2C", ",")}`;
  window.history.replaceState(null, "", hash);
  keepHashOnLanguageSwitch(hash);
}

function keepHashOnLanguageSwitch(hash) {
  const next = document.querySelector(".language-switch input[name=next]");
  if (next) next.value = `${window.location.pathname}${window.location.search}${hash}`;
}

function debounce(fn, delay) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
}
