// A dense catalogue layer (buildings, trees) drawn from its vector tiles instead of
// GeoJSON (docs/architecture.md, "Vector tiles"): protomaps-leaflet (global
// `protomapsL`) paints the MVT tiles its TileJSON points to on canvas tiles; a click
// asks the tiles under the pointer for the feature, whose id and properties the tile
// carries, and opens the same popup as a GeoJSON layer. Same interface as DataLayer,
// and the same base (MapLayer).
// The library is loaded the first time a tiled layer is shown: a map without them
// on does not download it.

import { MapLayer, popupOptions } from "./layers.js";
import { colourOf } from "./styles.js";

// Above this zoom the tiles of this zoom are drawn scaled: close up, no new requests.
const OVERZOOM_FROM = 16;
// How far from a point (CSS pixels) a click still picks it.
const PICK_RADIUS = 8;
const TILE = 256;

let library = null;

// protomaps-leaflet as a script of this site (script-src 'self'), once.
export function loadTileLibrary(url) {
  library ??= new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = url;
    script.addEventListener("load", () => resolve(window.protomapsL));
    script.addEventListener("error", () => {
      library = null; // the next refresh may try again
      reject(new Error(`${url} did not load`));
    });
    document.head.append(script);
  });
  return library;
}

export class TiledLayer extends MapLayer {
  constructor(map, meta, style, tileJson, options) {
    super(map, meta, style, options);
    this.libraryUrl = options.libraryUrl;
    this.tileJson = tileJson;
    this.tiles = null; // the protomaps-leaflet layer, made once the library is in
    const vectorLayer = tileJson.vector_layers?.[0];
    this.sourceLayer = vectorLayer?.id ?? meta.name;
    this.fields = vectorLayer?.fields ?? {};
    this.dataZoom = Math.min(tileJson.maxzoom, OVERZOOM_FROM);
    this.createOwnPane();
  }

  createTiles() {
    return protomapsL.leafletLayer({
      url: this.tileJson.tiles[0],
      pane: this.pane,
      minZoom: this.tileJson.minzoom, // below it Leaflet asks for no tile
      levelDiff: 0, // a 256-pixel tile is drawn from the data tile of its own zoom
      maxDataZoom: this.dataZoom,
      paintRules: paintRules(this.sourceLayer, this.style),
      labelRules: [],
      attribution: "",
    });
  }

  get shown() {
    return Boolean(this.tiles && this.wanted && this.visibleAtZoom)
      && this.map.hasLayer(this.tiles);
  }

  // Brings the layer in line with the checkbox and the view; tiles load themselves.
  refresh() {
    if (!(this.wanted && this.visibleAtZoom)) {
      this.tiles?.remove();
      this.report(this.wanted ? "zoom" : "idle");
      return;
    }
    if (this.tiles) {
      this.tiles.addTo(this.map);
      this.report("idle");
      return;
    }
    this.report("loading");
    loadTileLibrary(this.libraryUrl).then(
      () => {
        this.tiles ??= this.createTiles();
        this.refresh();
      },
      (error) => {
        console.error(`layer ${this.meta.name}:`, error);
        this.report("error");
      },
    );
  }

  reload() {
    this.tiles?.rerenderTiles();
  }

  // The feature drawn under `latlng`, as {id, properties, latlng}, or null: the
  // polygon containing it, or the point nearest to it within PICK_RADIUS.
  featureAt(latlng) {
    if (!this.shown) return null;
    const zoom = Math.round(this.map.getZoom());
    const dataZoom = Math.min(zoom, this.dataZoom);
    const radius = PICK_RADIUS / 2 ** (zoom - dataZoom);
    const found = this.tiles.queryTileFeaturesDebug(latlng.lng, latlng.lat, radius);
    const hits = [...found.values()]
      .flat()
      .filter((hit) => hit.layerName === this.sourceLayer);
    if (!hits.length) return null;
    const pixel = this.map.project(latlng, dataZoom);
    const origin = L.point(
      Math.floor(pixel.x / TILE) * TILE,
      Math.floor(pixel.y / TILE) * TILE,
    );
    const local = pixel.subtract(origin);
    let best = hits[hits.length - 1].feature; // polygons: the one drawn last, on top
    let position = latlng;
    if (best.geomType === 1) {
      const distance = (hit) => local.distanceTo(L.point(hit.feature.geom[0][0]));
      best = hits.reduce((a, b) => (distance(b) < distance(a) ? b : a)).feature;
      const point = best.geom[0][0];
      position = this.map.unproject(origin.add(L.point(point.x, point.y)), dataZoom);
    }
    return { id: best.id, properties: this.properties(best.props), latlng: position };
  }

  // A tile's properties as the GeoJSON has them: PostGIS writes a numeric (a rounded
  // area) as text into the tile; TileJSON says it is a Number.
  properties(props) {
    const properties = { ...props };
    for (const [key, value] of Object.entries(properties)) {
      if (this.fields[key] === "Number" && typeof value === "string") {
        properties[key] = Number(value);
      }
    }
    return properties;
  }

  // Opens the popup of the feature under the click; false when there is none.
  openPopupAt(latlng) {
    const feature = this.featureAt(latlng);
    if (!feature) return false;
    const content = this.popup(this.meta, this.title)({ feature });
    L.popup(popupOptions()).setLatLng(feature.latlng).setContent(content).openOn(this.map);
    return true;
  }
}

// protomaps-leaflet paint rules in the colours styles.js gives the GeoJSON layers:
// points as the dots of the markers, polygons filled and outlined.
function paintRules(dataLayer, style) {
  const colour = style.byProperty
    ? (_zoom, feature) => colourOf(style, feature.props)
    : style.colour;
  if (style.isPoint) {
    return [
      {
        dataLayer,
        symbolizer: new protomapsL.CircleSymbolizer({
          // The markers' dot from z16; smaller further out, where thousands of
          // trees would cover the map (GeoJSON clustered them there).
          radius: (zoom) => (style.size / 2 - 2) * Math.min(1, 0.5 + (zoom - 13) / 6),
          fill: colour,
          stroke: "#ffffff",
          width: (zoom) => (zoom < 15 ? 1 : 2),
        }),
      },
    ];
  }
  return [
    {
      dataLayer,
      symbolizer: new protomapsL.PolygonSymbolizer({
        fill: colour,
        opacity: style.fillOpacity,
      }),
    },
    {
      dataLayer,
      symbolizer: new protomapsL.LineSymbolizer({
        color: colour,
        width: style.weight,
        dash: style.dashArray?.split(" ").map(Number),
      }),
    },
  ];
}
