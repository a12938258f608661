// A boundary from a file as the editor's starting shape: GeoJSON as it is, KML
// through @tmcw/togeojson (the global `toGeoJSON`). Every polygon in the file is
// taken, flattened to 2D (KML writes an altitude); whether the shape is acceptable
// is for the live check to say.

export class ImportError extends Error {
  constructor(kind, reason = "") {
    super(reason || kind);
    this.kind = kind; // "unknown" | "unreadable" | "empty"
  }
}

export async function readShapeFile(file) {
  const text = await readText(file);
  const data = isKml(file, text) ? kmlToGeoJSON(text) : parseJson(text);
  const polygons = [];
  collectPolygons(data, polygons);
  if (polygons.length === 0) throw new ImportError("empty");
  return polygons.length === 1
    ? { type: "Polygon", coordinates: polygons[0] }
    : { type: "MultiPolygon", coordinates: polygons };
}

function readText(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(new ImportError("unreadable", String(reader.error)));
    reader.readAsText(file);
  });
}

function isKml(file, text) {
  const name = file.name.toLowerCase();
  if (name.endsWith(".kml")) return true;
  if (name.endsWith(".geojson") || name.endsWith(".json")) return false;
  const start = text.trimStart();
  if (start.startsWith("<")) return true;
  if (start.startsWith("{")) return false;
  throw new ImportError("unknown");
}

function kmlToGeoJSON(text) {
  const xml = new DOMParser().parseFromString(text, "application/xml");
  const error = xml.querySelector("parsererror");
  if (error) throw new ImportError("unreadable", error.textContent.split("\n")[0]);
  return window.toGeoJSON.kml(xml);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImportError("unreadable", error.message);
  }
}

function collectPolygons(node, out) {
  if (!node || typeof node !== "object") return;
  switch (node.type) {
    case "FeatureCollection":
      (node.features ?? []).forEach((feature) => collectPolygons(feature, out));
      break;
    case "Feature":
      collectPolygons(node.geometry, out);
      break;
    case "GeometryCollection":
      (node.geometries ?? []).forEach((geometry) => collectPolygons(geometry, out));
      break;
    case "Polygon":
      out.push(flat(node.coordinates));
      break;
    case "MultiPolygon":
      (node.coordinates ?? []).forEach((polygon) => out.push(flat(polygon)));
      break;
    default:
      break;
  }
}

// Rings of [lon, lat]: altitudes dropped.
function flat(rings) {
  if (!Array.isArray(rings)) return [];
  return rings.map((ring) =>
    Array.isArray(ring) ? ring.map((position) => position.slice(0, 2)) : ring,
  );
}
