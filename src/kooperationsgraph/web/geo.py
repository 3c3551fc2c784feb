"""The Länder map as inline SVG, drawn on the server from the BKG boundaries (works without JavaScript).
All features of one ARS become one path; coordinates are projected (equirectangular at 51° N) and rounded."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

GEOJSON = Path(__file__).with_name("static") / "data" / "bkg_vg5000_2021_laender.geojson"
ATTRIBUTION = "© GeoBasis-DE / BKG 2021 (Daten verändert), dl-de/by-2-0"
_K = math.cos(math.radians(51.0))
WIDTH = 440.0


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    return [ring for poly in geometry["coordinates"] for ring in poly]


@lru_cache(maxsize=1)
def land_paths() -> tuple[tuple[tuple[str, str, str], ...], float]:
    """((ars, name, svg path d), …) and the SVG height for width WIDTH."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    xs: list[float] = []
    ys: list[float] = []
    for f in data["features"]:
        for ring in _rings(f["geometry"]):
            xs += [p[0] * _K for p in ring]
            ys += [-p[1] for p in ring]
    x0, y0 = min(xs), min(ys)
    scale = WIDTH / (max(xs) - x0)
    height = (max(ys) - y0) * scale
    by_ars: dict[str, tuple[str, list[str]]] = {}
    for f in data["features"]:
        ars, name = f["properties"]["ARS"], f["properties"]["GEN"]
        parts = by_ars.setdefault(ars, (name, []))[1]
        for ring in _rings(f["geometry"]):
            pts: list[str] = []
            for lon, lat, *_ in ring:
                pt = f"{(lon * _K - x0) * scale:.0f},{(-lat - y0) * scale:.0f}"
                if not pts or pts[-1] != pt:
                    pts.append(pt)
            if len(pts) > 2:
                parts.append("M" + "L".join(pts) + "Z")
    out = tuple((ars, name, "".join(parts)) for ars, (name, parts) in sorted(by_ars.items()))
    return out, height


def shade(value: int, maximum: int) -> str:
    """Sequential blue scale (light → dark) for counts."""
    if maximum <= 0 or value <= 0:
        return "#e6edf5"
    t = value / maximum
    light, dark = (198, 219, 239), (8, 69, 148)
    r, g, b = (round(a + (b_ - a) * t) for a, b_ in zip(light, dark, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


@lru_cache(maxsize=1)
def frame() -> tuple[float, float, float]:
    """(x0, y0, scale) of the projection of :func:`land_paths`: a point (lon, lat) is drawn at
    x = (lon · cos 51° − x0) · scale, y = (−lat − y0) · scale (the query page's map places result points so)."""
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    xs = [p[0] * _K for f in data["features"] for ring in _rings(f["geometry"]) for p in ring]
    ys = [-p[1] for f in data["features"] for ring in _rings(f["geometry"]) for p in ring]
    return min(xs), min(ys), WIDTH / (max(xs) - min(xs))
