"""Build data/peta/ from the boundary files in shared/reference/peta/: each kabupaten/kota
and province shape under its Kemendagri code, simplified for a web map.

    python scripts/build_peta.py [SOURCE_DIR]   (default: ../shared/reference/peta)

The source (MIT licence, copyright 2024 Ardian Saputra Hasibuan; see data/peta/LICENSE)
names regions but carries no kabupaten/kota codes. A region matches when its province
(by the province file's KODE_PROV) and its normalised name (lower case, letters only,
"kabupaten" dropped) are the same as in data/wilayah/regencies.csv; the few names
spelled differently are matched by hand in data/peta/cocok_manual.csv. Regions left
without a shape are listed in data/peta/tanpa_peta.csv (the Peta page names them under
the map). Output: data/peta/kabupaten_kota.geojson and provinsi.geojson (features
sorted by code; properties kode, nama, kode_provinsi, nama_peta, label_lon, label_lat;
coordinates simplified by Douglas-Peucker and rounded, outer rings clockwise as d3-geo
wants them), the same bytes on every run.
"""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WILAYAH = ROOT / "data" / "wilayah"
OUT = ROOT / "data" / "peta"
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "peta"
# Douglas-Peucker tolerance in degrees (1e-3 ≈ 110 m) and decimals kept.
TOLERANCE = {"kabupaten_kota": 0.002, "provinsi": 0.01}
DECIMALS = 4


def norm(name: str) -> str:
    name = name.lower().replace("kabupaten", "")
    return re.sub("[^a-z]", "", name)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- geometry ------------------------------------------------------------------------


def _perpendicular(p, a, b) -> float:
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == dy == 0:
        return math.hypot(x - x1, y - y1)
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / math.hypot(dx, dy)


def douglas_peucker(points: list, tolerance: float) -> list:
    """Keep the points that matter (iterative, so long rings never hit the recursion limit)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def simplify_ring(ring: list, tolerance: float) -> list | None:
    """A closed ring simplified and rounded; None when too little is left of it."""
    points = douglas_peucker(ring, tolerance)
    out: list = []
    for x, y in points:
        p = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    if out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def wind(ring: list, clockwise: bool) -> list:
    """d3-geo (Vega's projections) reads a polygon on the sphere: its outer ring must run
    clockwise and its holes anticlockwise, else it fills the rest of the globe."""
    is_clockwise = ring_area(ring) < 0
    return ring if is_clockwise == clockwise else ring[::-1]


def simplify(geometry: dict, tolerance: float) -> dict:
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    kept = []
    for polygon in polygons:
        outer = simplify_ring(polygon[0], tolerance)
        if outer is None:
            continue
        holes = [wind(h, False) for h in (simplify_ring(r, tolerance) for r in polygon[1:]) if h]
        kept.append([wind(outer, True), *holes])
    if not kept:  # a tiny region: keep its largest polygon unsimplified (rounded only)
        largest = max(polygons, key=lambda p: abs(ring_area(p[0])))
        kept = [[wind([[round(x, DECIMALS), round(y, DECIMALS)] for x, y in largest[0]], True)]]
    if len(kept) == 1:
        return {"type": "Polygon", "coordinates": kept[0]}
    return {"type": "MultiPolygon", "coordinates": kept}


def ring_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def label_point(geometry: dict) -> tuple[float, float]:
    """Where a label goes: the centroid of the largest polygon's outer ring."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    ring = max((p[0] for p in polygons), key=lambda r: abs(ring_area(r)))
    area = ring_area(ring)
    if area == 0:
        xs, ys = zip(*ring, strict=True)
        return round(sum(xs) / len(xs), 4), round(sum(ys) / len(ys), 4)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return round(cx / (6 * area), 4), round(cy / (6 * area), 4)


def feature(kode: str, props: dict, geometry: dict, tolerance: float) -> dict:
    shape = simplify(geometry, tolerance)
    lon, lat = label_point(shape)
    return {
        "type": "Feature",
        "id": kode,
        "properties": {**props, "label_lon": lon, "label_lat": lat},
        "geometry": shape,
    }


# -- matching ------------------------------------------------------------------------


def match(source: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """(kabupaten/kota features, province features, regions without a shape)."""
    provinces = {r["code"]: r["name"] for r in read_csv(WILAYAH / "provinces.csv")}
    regencies = read_csv(WILAYAH / "regencies.csv")
    prov_geo = json.loads((source / "provinsi.geojson").read_text(encoding="utf-8"))
    kab_geo = json.loads((source / "kabupaten_kota.geojson").read_text(encoding="utf-8"))

    prov_code = {
        f["properties"]["PROVINSI"]: f["properties"]["KODE_PROV"] for f in prov_geo["features"]
    }
    by_key: dict[tuple[str, str], dict] = {}
    for f in kab_geo["features"]:
        p = f["properties"]
        by_key[(prov_code[p["WADMPR"]], norm(p["WADMKK"]))] = f
    by_source_name = {
        (f["properties"]["WADMPR"], f["properties"]["WADMKK"]): f for f in kab_geo["features"]
    }
    hand = {r["kode"]: r for r in read_csv(OUT / "cocok_manual.csv")}

    kab_features, missing, used = [], [], set()
    for r in regencies:
        found = by_key.get((r["province_code"], norm(r["name"])))
        if found is None and r["code"] in hand:
            h = hand[r["code"]]
            found = by_source_name[(h["provinsi_peta"], h["nama_peta"])]
        if found is None or id(found) in used:
            missing.append(
                {"kode": r["code"], "nama": r["name"], "kode_provinsi": r["province_code"]}
            )
            continue
        used.add(id(found))
        props = {
            "kode": r["code"],
            "nama": r["name"],
            "kode_provinsi": r["province_code"],
            "nama_peta": found["properties"]["WADMKK"],
        }
        kab_features.append(
            feature(r["code"], props, found["geometry"], TOLERANCE["kabupaten_kota"])
        )

    prov_features = []
    for f in sorted(prov_geo["features"], key=lambda f: f["properties"]["KODE_PROV"]):
        kode = f["properties"]["KODE_PROV"]
        props = {
            "kode": kode,
            "nama": provinces[kode],
            "kode_provinsi": kode,
            "nama_peta": f["properties"]["PROVINSI"],
        }
        prov_features.append(feature(kode, props, f["geometry"], TOLERANCE["provinsi"]))
    return kab_features, prov_features, missing


def write_geojson(path: Path, features: list[dict]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    path.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8"
    )


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_SOURCE
    kab, prov, missing = match(source)
    write_geojson(OUT / "kabupaten_kota.geojson", kab)
    write_geojson(OUT / "provinsi.geojson", prov)
    with (OUT / "tanpa_peta.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["kode", "nama", "kode_provinsi"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(missing)
    shutil.copyfile(source / "LICENSE", OUT / "LICENSE")
    print(
        f"{len(kab)} kabupaten/kota dengan bentuk, {len(missing)} tanpa bentuk, {len(prov)} provinsi"
    )
    for m in missing:
        print(f"  tidak tampil di peta: {m['kode']} {m['nama']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
