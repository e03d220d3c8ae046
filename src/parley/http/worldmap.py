"""The map page's world outline and projection.

The outline is Natural Earth's 1:110m land (public domain), as packaged in TopoJSON by
the npm package ``world-atlas`` 2.0.2 (``land-110m.json``, ISC licence). It was turned
once, at build time, into one SVG path in the plate carrée projection below and shipped
as ``static/land-110m.path`` (see ``static/THIRD-PARTY.md``); nothing is fetched or
converted when the server runs. To rebuild it::

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python -m parley.http.worldmap package/land-110m.json > src/parley/http/static/land-110m.path

Projection: x = lon + 180, y = NORTH - lat, in degrees, so the SVG's viewBox is
``0 0 360 (NORTH - SOUTH)`` and a point needs no library to place.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from importlib import resources
from typing import Any

NORTH, SOUTH = 84.0, -60.0  # latitudes kept: Antarctica is cut off
WIDTH, HEIGHT = 360.0, NORTH - SOUTH


def project(lat: float, lon: float) -> tuple[float, float]:
    """SVG coordinates of a point (clamped into the drawn band)."""
    return round(lon + 180.0, 2), round(NORTH - max(SOUTH, min(NORTH, lat)), 2)


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs (quantised, delta-encoded) as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(arc if not out else arc[1:])
    return out


def topojson_path(topo: dict[str, Any], name: str = "land") -> str:
    """One SVG path (``d``) of every polygon of object ``name``."""
    arcs = _decode_arcs(topo)
    parts: list[str] = []
    for geom in topo["objects"][name]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for polygon in polygons:
            for ring in polygon:
                ring_pts = _ring(arcs, ring)
                if len(ring_pts) < 3 or all(lat < SOUTH for _, lat in ring_pts):
                    continue  # the viewBox clips what lies partly south of the band
                # a ring across the antimeridian jumps from +180 to -180: make its
                # longitudes continuous and draw it once more a world to the side
                lons = [ring_pts[0][0]]
                for lon, _ in ring_pts[1:]:
                    prev = lons[-1]
                    lons.append(lon + 360.0 * round((prev - lon) / 360.0))
                lo, hi = min(lons), max(lons)
                shifts = [0.0] + ([-360.0] if hi > 180.0 else []) + (
                    [360.0] if lo < -180.0 else [])
                for shift in shifts:
                    coords = " ".join(
                        f"{round(lon + shift + 180.0, 1):g},{round(NORTH - lat, 1):g}"
                        for lon, (_, lat) in zip(lons, ring_pts, strict=True))
                    parts.append(f"M{coords}Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def land_path() -> str:
    """The shipped outline (``static/land-110m.path``)."""
    return (resources.files("parley.http") / "static" / "land-110m.path").read_text(
        "ascii").strip()


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as fh:
        sys.stdout.write(topojson_path(json.load(fh)) + "\n")
