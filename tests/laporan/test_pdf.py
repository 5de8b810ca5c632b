"""The report's PDFs, made by LibreOffice and looked at through poppler: pages, widths,
the service-name cells and the signature block of the demo's 2025 TW IV report."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.laporan import bundle, pdf
from pipelines.laporan import records as laporan
from pipelines.laporan.data import collect

YEAR, TW = 2025, 4
STAMP = dt.datetime(2026, 1, 20, 9, 0)
CM_PER_INCH = 2.54
needs_office = pytest.mark.skipif(
    not pdf.available(), reason="LibreOffice tidak terpasang (make test memasangnya)"
)


@pytest.fixture(scope="module")
def report(demo_db_template, tmp_path_factory):
    """The demo's 2025 TW IV province package, its PDFs written to a folder."""
    if not pdf.available():
        pytest.skip("LibreOffice tidak terpasang (make test memasangnya)")
    with Database.open(demo_db_template, read_only=True) as db:
        data = collect(db, YEAR, TW)
    files = laporan.build_files(data)
    folder = tmp_path_factory.mktemp("pdf")
    made = dict(pdf.pdfs(files, STAMP))
    for name, content in made.items():
        (folder / name).write_bytes(content)
    return data, files, folder, made


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def page_texts(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return out.stdout.split("\f")[: pages(path)]


def words(path: Path) -> list[tuple[int, float, float, float, str]]:
    """Every word: (page, xMin, yMin, xMax, text), in reading order."""
    xml = subprocess.run(
        ["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    out, page = [], 0
    for line in xml.splitlines():
        if "<page " in line:
            page += 1
        found = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*)</word>',
            line,
        )
        if found:
            x0, y0, x1, text = found.groups()
            out.append((page, float(x0), float(y0), float(x1), text))
    return out


def ink_columns(path: Path, dpi: int, folder: Path) -> list[tuple[int, int, int]]:
    """Per page rendered to PNG by pdftoppm: (page width, leftmost, rightmost ink column)."""
    stem = folder / path.stem
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(stem)], check=True)
    out = []
    for png in sorted(folder.glob(f"{path.stem}-*.png")):
        image = Image.open(png).convert("L").point(lambda v: 255 if v < 200 else 0)
        box = image.getbbox()
        if box:
            out.append((image.width, box[0], box[2]))
    return out


@needs_office
def test_narrative_pdf_pages_fit_the_page_width(report, tmp_path):
    _, _, folder, _ = report
    path = folder / "narasi_19_2025_TW4.pdf"
    assert 4 <= pages(path) <= 20
    dpi = 50
    margin_left, margin_right = (round(cm / CM_PER_INCH * dpi) for cm in (2.5, 2.0))
    inked = ink_columns(path, dpi, tmp_path)
    assert len(inked) == pages(path)
    for width, left, right in inked:
        assert abs(width - 21.0 / CM_PER_INCH * dpi) <= 1  # A4 portrait
        # table borders sit one cell padding (0,19 cm) left of the text margin
        assert left >= margin_left - 6, "text or table left of the margin"
        assert right <= width - margin_right + 3, "a table runs past the right margin"


@needs_office
def test_service_names_take_at_most_4_lines(report):
    data, _, folder, _ = report
    found = words(folder / "narasi_19_2025_TW4.pdf")
    texts = [w[4] for w in found]
    names = sorted(set(data.provinsi_layanan["nama_layanan"]), key=len, reverse=True)
    assert names
    tallest = 0
    for name in names:
        parts = name.split()
        starts = [i for i in range(len(texts)) if texts[i : i + len(parts)] == parts]
        assert starts, f"{name!r} not found in the PDF"
        for i in starts:
            lines = {round(w[2]) for w in found[i : i + len(parts)]}
            tallest = max(tallest, len(lines))
            assert len(lines) <= 4, (name, len(lines))
    assert tallest >= 2  # the longest names do wrap: the measure sees lines


@needs_office
def test_signature_block_is_on_the_page_of_the_closing_text(report):
    _, _, folder, _ = report
    texts = page_texts(folder / "narasi_19_2025_TW4.pdf")
    closing = [i for i, t in enumerate(texts) if "Demikian laporan" in t]
    signature = [i for i, t in enumerate(texts) if "NIP." in t]
    assert closing and closing == signature
    assert "(jabatan penanda tangan)" in texts[closing[0]]
    # Indonesian numbers in the text and the tables
    body = "\n".join(texts)
    assert re.search(r"\b\d{1,3}(\.\d{3})+\b", body) and re.search(r"\b\d+,\d{2}\b", body)


@needs_office
def test_repeated_header_rows_in_tables_that_break_across_pages(report):
    _, _, folder, _ = report
    texts = page_texts(folder / "narasi_19_2025_TW4.pdf")
    headers = sum(t.count("Disampaikan oleh") for t in texts)
    tables = sum(1 for t in texts for _ in re.finditer(r"Permasalahan\s+Solusi", t))
    assert headers == tables >= 6  # each piece of a kendala table starts with its header


@needs_office
def test_provincial_workbook_pdf_is_a4_landscape_within_the_page(report, tmp_path):
    _, _, folder, _ = report
    path = folder / "laporan-spm-provinsi_19_2025_TW4.pdf"
    assert 3 <= pages(path) <= 15  # five sheets, each fitted to the page width
    inked = ink_columns(path, 40, tmp_path)
    for width, left, right in inked:
        assert abs(width - 29.7 / CM_PER_INCH * 40) <= 1  # A4 landscape
        assert left > 0 and right < width  # nothing cut at either edge
    text = "\n".join(page_texts(path))
    assert "IP-SPM Pemerintah Provinsi" in text and re.search(r"\b\d+,\d{2}\b", text)  # 84,53


@needs_office
def test_the_same_files_give_the_same_pdf_bytes(report):
    _, files, _, made = report
    narasi = next(f for f in files if f.nama_berkas.startswith("narasi_"))
    again = pdf._convert(narasi.nama_berkas, narasi.isi, STAMP)  # not the cached copy
    assert again == made["narasi_19_2025_TW4.pdf"]


@needs_office
def test_bundle_and_cli_carry_the_pdfs(demo_db_path, tmp_path):
    with Database.open(demo_db_path) as db:
        draft = laporan.generate(db, YEAR, TW, by="a").laporan
        laporan.finalise(db, draft["id"], by="kepala-biro", paksa=True)
        _, content, manifest = bundle.bundle_bytes(db, draft["id"])
    listed = {f["nama"] for f in manifest["berkas"]}
    assert {"narasi_19_2025_TW4.pdf", "laporan-spm-provinsi_19_2025_TW4.pdf"} <= listed
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        assert z.read("narasi_19_2025_TW4.pdf").startswith(b"%PDF")
        assert json.loads(z.read("manifest.json"))["catatan"] == manifest["catatan"]
    out = tmp_path / "pdf"
    result = CliRunner().invoke(
        cli, ["report", "pdf", str(draft["id"]), "--db", str(demo_db_path), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "laporan-spm-provinsi_19_2025_TW4.pdf",
        "narasi_19_2025_TW4.pdf",
    ]


def test_without_libreoffice_the_bundle_says_so_and_pdf_explains(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without soffice
    assert not pdf.available()
    draft = laporan.generate(demo_db, YEAR, TW, by="a").laporan
    laporan.finalise(demo_db, draft["id"], by="kepala-biro", paksa=True)
    _, _, manifest = bundle.bundle_bytes(demo_db, draft["id"])
    assert not any(f["nama"].endswith(".pdf") for f in manifest["berkas"])
    assert any("LibreOffice tidak terpasang" in n for n in manifest["catatan"])
    with pytest.raises(pdf.PdfTidakTersedia, match="apt-get install libreoffice"):
        pdf._convert("narasi.docx", b"x", STAMP)
