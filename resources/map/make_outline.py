"""Rebuild world_110m.json from the npm package world-atlas (Natural Earth 1:110m countries as TopoJSON).

    cd /tmp && npm pack world-atlas && tar xzf world-atlas-2.0.2.tgz
    python resources/map/make_outline.py /tmp/package/countries-110m.json resources/map/world_110m.json

Decodes the TopoJSON arcs (quantised, delta-encoded) into plain rings of [longitude, latitude] rounded
to 0.01 degree: the map widget draws polygons and needs no TopoJSON reader at run time.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def decode(topology: dict) -> list[dict]:
    scale_x, scale_y = topology["transform"]["scale"]
    shift_x, shift_y = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * scale_x + shift_x, 2), round(y * scale_y + shift_y, 2)))
        arcs.append(points)

    def ring(indices: list[int]) -> list[list[float]]:
        out: list[tuple[float, float]] = []
        for index in indices:
            points = arcs[index] if index >= 0 else arcs[~index][::-1]
            out.extend(points[1:] if out else points)  # consecutive arcs share their end point
        deduped = [out[0]] + [p for a, p in zip(out, out[1:]) if p != a]
        return [list(p) for p in deduped]

    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry["type"] == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry["type"] == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = [ring(r) for polygon in polygons for r in polygon]
        countries.append({"name": geometry.get("properties", {}).get("name", ""), "id": geometry.get("id", ""),
                          "rings": [r for r in rings if len(r) >= 3]})
    return countries


def main(source: str, target: str) -> None:
    topology = json.loads(Path(source).read_text(encoding="utf-8"))
    payload = {
        "format": "conflict-annotator/world-outline",
        "version": 1,
        "source": "Natural Earth 1:110m Admin 0 countries (public domain), via world-atlas 2.0.2 (ISC)",
        "countries": decode(topology),
    }
    Path(target).write_text(json.dumps(payload, separators=(",", ":")), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
