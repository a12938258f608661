"""`make bench`, the map on a phone: bytes and time of the dense layers (buildings,
trees) drawn from vector tiles against the same layers drawn from GeoJSON
(docs/architecture.md, "Vector tiles").

The map page itself in headless Chromium at 390×844, served by gunicorn (DEBUG off,
static files through WhiteNoise) on the demo data, with only buildings and trees on
(`#layers=buildings,trees`), at two views of the city centre: the map's initial one
(MAP_CENTER, MAP_ZOOM) and z15, where buildings show. Each round opens a fresh
browser context (empty cache) twice, interleaved:

- tiles: the page as it is (TileJSON, then /tiles/<layer>/<z>/<x>/<y>.mvt);
- GeoJSON: the same page with the TileJSON refused (503), so that the map falls back
  to GET /api/layers/<layer>/?bbox=… for those layers, as it drew them before tiles.

Bytes are the Resource Timing `transferSize` (compressed body and headers) of every
response, split into the layers' data, the tile library (protomaps-leaflet.js, which
only the tiled map needs: left out of the GeoJSON total) and the rest of the page.
"Drawn" is the time from navigation until both layers are on screen, recorded in the
page each animation frame: every canvas tile of both layers' panes rendered, or the
GeoJSON features (paths, markers or clusters) of both layers in the DOM. Two network
profiles: localhost as is, and a phone (Chrome's "Slow 4G": 150 ms, 1.6 Mbit/s down,
CPU slowed 4×). Medians of the rounds, tiles/GeoJSON as a ratio. For reference, the
plain GET of each layer's GeoJSON for exactly the viewport's bbox (gzip), through HTTP.

Everything runs in a database of its own (BENCH_MAP_DATABASE, default
angarsk_bench_map) with `load_demo`, dropped at the end.

    .venv/bin/python tests/bench/map_bytes_bench.py [--rounds 5]
"""

import argparse
import json
import math
import os
import shutil
import statistics
import time

from harness import (
    SERVED,
    BenchError,
    database_urls,
    fresh_database,
    get,
    gunicorn,
    machine_facts,
    manage,
    print_footer,
    run_bench,
)

VIEWPORT = {"width": 390, "height": 844}
LAYERS = ("buildings", "trees")
LIBRARY = "/static/vendor/protomaps-leaflet/"
PHONE = {  # Chrome DevTools' "Slow 4G" and a mid-range phone's CPU
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
    "cpu": 4,
}
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

# Before any script of the page (an init script: the page's policy does not apply):
# the first moment, each frame, at which both layers are on screen.
WATCH = """
window.__drawn = null;
const LAYERS = LAYER_NAMES;
function tilesDrawn(name) {
  const tiles = document.querySelectorAll(`.leaflet-layer-${name}-pane canvas`);
  return tiles.length > 0 &&
    [...tiles].every((tile) => tile.classList.contains("leaflet-tile-loaded"));
}
function featuresDrawn(name) {
  return document.querySelector(
    `.feature--${name}, .poi--${name}, .cluster--${name}`) !== null;
}
function outOfZoom(name) {  // the row says so: nothing to draw at this zoom
  return document.querySelector(`.layer-row[data-layer=${name}].is-out-of-zoom`);
}
function watch() {
  const done = (name) => tilesDrawn(name) || featuresDrawn(name) || outOfZoom(name);
  if (document.querySelector(".layer-row") && LAYERS.every(done)) {
    window.__drawn = performance.now();
    return;
  }
  requestAnimationFrame(watch);
}
requestAnimationFrame(watch);
"""

# Bytes over the wire of every response of the page so far, by kind.
BYTES = """([layers, library]) => {
  const sums = {data: 0, library: 0, page: 0, requests: 0, last: 0};
  const entries = [
    ...performance.getEntriesByType("navigation"),
    ...performance.getEntriesByType("resource"),
  ];
  for (const entry of entries) {
    const path = new URL(entry.name).pathname;
    // A TileJSON counts where it was used; refused (GeoJSON runs), it is left out.
    const tileJson = (name) =>
      path === `/tiles/${name}.json` && entry.responseStatus === 200;
    const data = layers.some((name) => tileJson(name) ||
      path.startsWith(`/tiles/${name}/`) || path.startsWith(`/api/layers/${name}/`));
    const kind = data ? "data" : path.startsWith(library) ? "library" : "page";
    sums[kind] += entry.transferSize;
    if (data) {
      sums.requests += 1;
      sums.last = Math.max(sums.last, entry.responseEnd);
    }
  }
  return sums;
}"""


def views(centre, zoom):
    lat, lon = centre
    return [("initial view", zoom, lat, lon), ("z15", 15, lat, lon)]


def open_map(browser, base, view, geojson, profile):
    """One cold load of the map: {drawn ms, data/library/page bytes, requests,
    last data byte ms}."""
    _name, zoom, lat, lon = view
    context = browser.new_context(viewport=VIEWPORT, locale="ru-RU")
    try:
        context.add_init_script(WATCH.replace("LAYER_NAMES", json.dumps(LAYERS)))
        context.route(lambda url: not url.startswith(base), lambda r: r.abort())
        if geojson:
            context.route("**/tiles/*.json", lambda r: r.fulfill(status=503))
        page = context.new_page()
        problems = []
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.on(
            "console",
            lambda message: (
                problems.append(message.text)
                if message.type == "error" and base in message.location.get("url", "")
                else None
            ),
        )
        if profile:
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send(
                "Network.emulateNetworkConditions",
                {
                    "offline": False,
                    "latency": profile["latency"],
                    "downloadThroughput": profile["downloadThroughput"],
                    "uploadThroughput": profile["uploadThroughput"],
                },
            )
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": profile["cpu"]})
        shown = ",".join(LAYERS)
        page.goto(f"{base}/#map={zoom}/{lat}/{lon}&layers={shown}")
        deadline = time.monotonic() + float(os.environ.get("BENCH_DRAW_TIMEOUT", 120))
        while page.evaluate("window.__drawn") is None:
            if time.monotonic() > deadline:
                raise BenchError(
                    f"{view[0]}: the layers were not drawn in time "
                    f"({'GeoJSON' if geojson else 'tiles'}): {problems}"
                )
            page.wait_for_timeout(50)
        drawn = page.evaluate("window.__drawn")
        page.wait_for_load_state("networkidle")
        sums = page.evaluate(BYTES, [list(LAYERS), LIBRARY])
        if not sums["requests"]:
            raise BenchError(f"{view[0]}: no request for the layers' data")
        kinds = {
            "/tiles/" in url
            for url in page.evaluate(
                "performance.getEntriesByType('resource').map(e => e.name)"
            )
            if any(f"/{name}/" in url for name in LAYERS)
        }
        if kinds != {not geojson}:
            raise BenchError(f"{view[0]}: the map did not use the data path asked for")
        box = page.locator("#map").bounding_box()
        return {**sums, "drawn": drawn, "box": box}
    finally:
        context.close()


def initial_view(browser, base):
    """The map's initial centre and zoom, from the page's own settings."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.route(lambda url: not url.startswith(base), lambda r: r.abort())
        page = context.new_page()
        page.goto(base + "/")
        config = page.evaluate(
            "JSON.parse(document.getElementById('map-config').textContent)"
        )
        return config["center"], config["zoom"]
    finally:
        context.close()


def viewport_bbox(zoom, lat, lon, box):
    """minlon,minlat,maxlon,maxlat of the map's box at this centre and zoom."""
    scale = 256 * 2**zoom

    def pixel(lon, lat):
        x = (lon + 180) / 360 * scale
        y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * scale
        return x, y

    def lonlat(x, y):
        lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / scale))))
        return x / scale * 360 - 180, lat

    cx, cy = pixel(lon, lat)
    west, north = lonlat(cx - box["width"] / 2, cy - box["height"] / 2)
    east, south = lonlat(cx + box["width"] / 2, cy + box["height"] / 2)
    return f"{west:.6f},{south:.6f},{east:.6f},{north:.6f}"


def kb(value):
    return f"{value / 1024:7.1f} KB"


def ratio(a, b):
    return f"{a / b:5.2f}×" if b else "    —"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    sync_api = __import__("playwright.sync_api", fromlist=["sync_playwright"])
    if not os.path.exists(CHROMIUM):
        raise BenchError(f"no Chromium at {CHROMIUM}")

    started = time.monotonic()
    database = database_urls("BENCH_MAP_DATABASE", "angarsk_bench_map")
    print(f"map bytes and time, tiles vs GeoJSON — {machine_facts()}")
    with fresh_database(database):
        # gunicorn serves the collected files (WhiteNoise): the page's scripts as
        # they are now, what `make static` does.
        manage(database.django_url, "collectstatic", "--noinput", "-v0")
        manage(database.django_url, "load_demo")
        with gunicorn(database.django_url, [*SERVED, "-w", "2"]) as server:
            base = f"http://127.0.0.1:{server.port}"
            with sync_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
                try:
                    centre, zoom = initial_view(browser, base)
                    report(browser, base, server, views(centre, zoom), args.rounds)
                finally:
                    browser.close()
    print_footer(started, database.name)


def report(browser, base, server, all_views, rounds):
    print(
        f"viewport {VIEWPORT['width']}×{VIEWPORT['height']}, layers "
        f"{', '.join(LAYERS)}; medians of {rounds} cold loads each, interleaved"
    )
    for profile_name, profile in (("localhost", None), ("phone, Slow 4G", PHONE)):
        print(f"\n== {profile_name}")
        for view in all_views:
            runs = {True: [], False: []}
            for _ in range(rounds):
                for geojson in (False, True):
                    runs[geojson].append(
                        open_map(browser, base, view, geojson, profile)
                    )
            med = {
                geojson: {
                    key: statistics.median(run[key] for run in found)
                    for key in ("data", "library", "page", "requests", "drawn", "last")
                }
                for geojson, found in runs.items()
            }
            tiles, plain = med[False], med[True]
            name, zoom, lat, lon = view
            print(f"-- {name} (z{zoom} at {lat}, {lon})")
            print(
                f"   layers' data: tiles {kb(tiles['data'])} in "
                f"{tiles['requests']:.0f} requests, GeoJSON {kb(plain['data'])} in "
                f"{plain['requests']:.0f}: {ratio(tiles['data'], plain['data'])}"
            )
            with_library = tiles["data"] + tiles["library"]
            print(
                f"   data + tile library ({kb(tiles['library'])}): "
                f"{kb(with_library)} vs {kb(plain['data'])}: "
                f"{ratio(with_library, plain['data'])}"
            )
            whole_tiles = with_library + tiles["page"]
            print(
                f"   whole page: tiles {kb(whole_tiles)}, GeoJSON "
                f"{kb(plain['data'] + plain['page'])} (without the library): "
                f"{ratio(whole_tiles, plain['data'] + plain['page'])}"
            )
            print(
                f"   drawn after: tiles {tiles['drawn']:7.0f} ms, GeoJSON "
                f"{plain['drawn']:7.0f} ms: {ratio(tiles['drawn'], plain['drawn'])}; "
                f"last data byte: tiles {tiles['last']:.0f} ms, GeoJSON "
                f"{plain['last']:.0f} ms"
            )
            if profile is None:
                box = runs[False][0]["box"]
                bbox = viewport_bbox(zoom, lat, lon, box)
                sizes = []
                for layer in LAYERS:
                    status, encoding, body = get(
                        server.port, f"/api/layers/{layer}/?bbox={bbox}", "gzip"
                    )
                    if status != 200 or encoding != "gzip":
                        raise BenchError(f"GET /api/layers/{layer}/: {status}")
                    sizes.append(f"{layer} {kb(len(body)).strip()}")
                print(
                    f"   GeoJSON of exactly the map's bbox {bbox} "
                    f"({box['width']:.0f}×{box['height']:.0f} px), gzip: "
                    + ", ".join(sizes)
                )


if __name__ == "__main__":
    run_bench(main)
