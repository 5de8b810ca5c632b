"""The shipped boundaries (data/peta): Kemendagri code -> shape, built by
scripts/build_peta.py from shared/reference/peta (MIT licence kept beside them)."""

from __future__ import annotations

import csv
import importlib.util
import json
from pathlib import Path

import pytest

from pipelines.core import reference

ROOT = Path(__file__).resolve().parents[2]
PETA = ROOT / "data" / "peta"
SOURCE = ROOT.parent / "shared" / "reference" / "peta"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_script():
    spec = importlib.util.spec_from_file_location("build_peta", ROOT / "scripts" / "build_peta.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def test_code_to_shape_covers_at_least_505_of_514_and_lists_the_rest():
    regencies = {r["code"]: r["name"] for r in read_csv(ROOT / "data/wilayah/regencies.csv")}
    assert len(regencies) == 514
    shaped = {}
    for prov in sorted({k[:2] for k in regencies}):
        shaped.update(reference.bentuk_kabkota(prov))
    assert set(shaped) <= set(regencies)
    assert len(shaped) >= 505, len(shaped)
    rest = {r["kode"]: r["nama"] for r in read_csv(PETA / "tanpa_peta.csv")}
    assert set(rest) == set(regencies) - set(shaped)
    assert rest == {
        "12.73": "Kota Sibolga",
        "12.76": "Kota Tebing Tinggi",
        "13.74": "Kota Padang Panjang",
        "13.75": "Kota Bukittinggi",
        "31.01": "Kabupaten Administrasi Kepulauan Seribu",
        "33.71": "Kota Magelang",
        "35.76": "Kota Mojokerto",
    }
    # the hand matches are in, under their Kemendagri names
    assert shaped["73.10"]["properties"]["nama"] == "Kabupaten Pangkajene dan Kepulauan"
    assert shaped["73.10"]["properties"]["nama_peta"] == "Pangkajene Kepulauan"
    assert shaped["12.77"]["properties"]["nama_peta"] == "Kota Padang Sidempuan"
    assert sorted(reference.bentuk_kabkota("19")) == [
        "19.01", "19.02", "19.03", "19.04", "19.05", "19.06", "19.71"
    ]  # fmt: skip


def test_shapes_are_drawable_and_labelled():
    provinces = reference.bentuk_provinsi()
    assert len(provinces) == 38 and provinces["19"]["properties"]["nama"] == (
        "Kepulauan Bangka Belitung"
    )
    features = [*provinces.values()]
    for prov in provinces:
        features += reference.bentuk_kabkota(prov).values()
    for f in features:
        geometry = f["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            assert polygon[0][0] == polygon[0][-1] and len(polygon[0]) >= 4
            assert signed_area(polygon[0]) < 0, f["id"]  # clockwise outer ring (d3-geo)
        lon, lat = f["properties"]["label_lon"], f["properties"]["label_lat"]
        assert 94 < lon < 142 and -12 < lat < 7, f["id"]


def test_the_licence_and_credit_ship_with_the_data():
    assert "Ardian Saputra Hasibuan" in (PETA / "LICENSE").read_text(encoding="utf-8")
    readme = (PETA / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "Ardian Saputra Hasibuan" in readme


@pytest.mark.skipif(not SOURCE.is_dir(), reason="shared/reference/peta is not beside the repo")
def test_the_script_rebuilds_the_shipped_files_from_the_source():
    script = load_script()
    kab, prov, missing = script.match(SOURCE)
    shipped = json.loads((PETA / "kabupaten_kota.geojson").read_text(encoding="utf-8"))
    assert kab == shipped["features"]
    shipped = json.loads((PETA / "provinsi.geojson").read_text(encoding="utf-8"))
    assert prov == shipped["features"]
    assert [m["kode"] for m in missing] == [r["kode"] for r in read_csv(PETA / "tanpa_peta.csv")]
