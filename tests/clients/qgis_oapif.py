"""Reads every collection of an OGC API – Features service with QGIS's own OAPIF
provider, as a planner's QGIS does (docs/qgis.md), and prints one JSON line per
collection: whether the layer is valid, its CRS, its feature count, the WGS 84 extent
and the sums of its features' centroids.

Run by Debian's Python with Debian's python3-qgis (not the project's venv):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/clients/qgis_oapif.py URL

where URL is the service's address as typed in QGIS's dialog (…/ogc, no slash).
`tests/test_ogc_clients.py` compares the figures with the database.
"""

import json
import sys
import urllib.request

from qgis.core import QgsApplication, QgsVectorLayer


def collection_ids(url):
    with urllib.request.urlopen(f"{url}/collections?f=json") as answer:
        return [c["id"] for c in json.load(answer)["collections"]]


def read(url, name):
    layer = QgsVectorLayer(
        f"url='{url}' typename='{name}' pagingEnabled='true'", name, "OAPIF"
    )
    if not layer.isValid():
        return {"name": name, "valid": False}
    count, sum_x, sum_y = 0, 0.0, 0.0
    for feature in layer.getFeatures():
        centroid = feature.geometry().centroid().asPoint()
        count += 1
        sum_x += centroid.x()
        sum_y += centroid.y()
    extent = layer.extent()
    return {
        "name": name,
        "valid": True,
        "crs": layer.crs().authid(),
        "count": count,
        "extent": [
            extent.xMinimum(),
            extent.yMinimum(),
            extent.xMaximum(),
            extent.yMaximum(),
        ]
        if count
        else None,
        "centroid_sums": [sum_x, sum_y],
    }


def main(url):
    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        for name in collection_ids(url):
            print(json.dumps(read(url, name)), flush=True)
    finally:
        app.exitQgis()


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"))
