// The boundary editor: Leaflet-Geoman's toolbar (draw, edit vertices, cut holes,
// drag, remove) over one group of polygons, snapping to whatever the map shows with
// snapIgnore: false (buildings, neighbours), and an undo that Geoman's free edition
// lacks: a stack of geometry snapshots, one per change.

import { STYLES } from "./map-base.js";

// Events after which the shape may differ; repeated ones are folded (same snapshot).
const MAP_EVENTS = "pm:create pm:remove pm:cut";
const LAYER_EVENTS = "pm:edit pm:update pm:dragend pm:vertexremoved pm:markerdragend";
const UNDO_DEPTH = 200;

export function createEditor(map, { lang, onChange }) {
  const group = L.featureGroup().addTo(map);
  const snapshots = [];
  let restoring = false;

  map.pm.setLang(lang === "ru" ? "ru" : "en");
  map.pm.setGlobalOptions({
    layerGroup: group,
    snappable: true,
    snapDistance: 15,
    pathOptions: STYLES.editing,
    templineStyle: { color: STYLES.editing.color },
    hintlineStyle: { color: STYLES.editing.color, dashArray: "4 4" },
  });
  map.pm.addControls({
    position: "topleft",
    drawMarker: false,
    drawCircleMarker: false,
    drawPolyline: false,
    drawCircle: false,
    drawText: false,
    rotateMode: false,
  });

  const record = () => {
    if (restoring) return;
    const current = geometryOf(group);
    const last = snapshots.at(-1);
    if (last !== undefined && same(last, current)) return;
    snapshots.push(current);
    if (snapshots.length > UNDO_DEPTH) snapshots.shift();
    onChange(current);
  };
  map.on(MAP_EVENTS, record);
  group.on("layeradd", ({ layer }) => layer.on(LAYER_EVENTS, record));

  function show(geometry) {
    restoring = true;
    group.clearLayers();
    if (geometry) {
      L.geoJSON(geometry, { style: () => STYLES.editing }).eachLayer((layer) =>
        group.addLayer(layer),
      );
    }
    restoring = false;
  }

  return {
    group,
    // A new starting shape (the saved draft, an imported file); undo can go back
    // past it to what was there before.
    load(geometry) {
      show(geometry);
      record();
    },
    // The first shape: nothing to undo before it.
    start(geometry) {
      show(geometry);
      snapshots.length = 0;
      snapshots.push(geometryOf(group));
    },
    geometry: () => geometryOf(group),
    canUndo: () => snapshots.length > 1 || drawingVertices(map) > 0,
    undo() {
      // While a polygon is being drawn, undo takes back its last vertex.
      if (drawingVertices(map) > 0) {
        activeDraw(map)._removeLastVertex();
        return true;
      }
      if (snapshots.length < 2) return false;
      snapshots.pop();
      const previous = snapshots.at(-1);
      show(previous);
      onChange(previous);
      return true;
    },
    fit() {
      const bounds = group.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds.pad(0.2));
    },
  };
}

function activeDraw(map) {
  const shape = map.pm.Draw.getActiveShape?.();
  return shape ? map.pm.Draw[shape] : null;
}

function drawingVertices(map) {
  const draw = activeDraw(map);
  if (!draw?._layer?.getLatLngs || !draw._removeLastVertex) return 0;
  return draw._layer.getLatLngs().length;
}

// The group's polygons as one GeoJSON geometry: a Polygon, a MultiPolygon for several
// parts, null for none. Geoman's working layers (_pmTempLayer) are not the shape.
export function geometryOf(group) {
  const parts = [];
  const collect = (layer) => {
    if (layer._pmTempLayer) return;
    if (layer instanceof L.LayerGroup) {
      layer.eachLayer(collect);
    } else if (layer instanceof L.Polygon) {
      const { geometry } = layer.toGeoJSON(7);
      const polygons =
        geometry.type === "MultiPolygon" ? geometry.coordinates : [geometry.coordinates];
      parts.push(...polygons.filter((rings) => rings[0]?.length >= 4));
    }
  };
  group.eachLayer(collect);
  if (parts.length === 0) return null;
  if (parts.length === 1) return { type: "Polygon", coordinates: parts[0] };
  return { type: "MultiPolygon", coordinates: parts };
}

function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}
