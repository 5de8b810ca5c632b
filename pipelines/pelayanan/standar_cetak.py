"""The printable standar pelayanan of one service: a standalone HTML page laid out like
the tables of seed 002 (the 14 components in their two groups), the maklumat, and, when
the tracker holds the service's procedure, its measured cycle times against the jangka
waktu. Everything a user typed is escaped: text never becomes markup."""

from __future__ import annotations

import html

from pipelines.core import fmt
from pipelines.pelayanan.standar_komponen import COMPONENTS, MAKLUMAT_BAKU, PENGELOLAAN, PENYAMPAIAN

STYLE = """
@page { size: A4 portrait; margin: 18mm 16mm; }
body { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 11.5pt;
       color: #000; margin: 0 auto; max-width: 190mm; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 2mm; text-transform: uppercase; }
h2 { font-size: 12pt; text-align: center; margin: 0 0 6mm; font-weight: normal; }
table { width: 100%; border-collapse: collapse; margin-bottom: 6mm; page-break-inside: auto; }
th, td { border: 1px solid #000; padding: 2mm 2.5mm; vertical-align: top; }
tr { page-break-inside: avoid; }
th.grup { background: #e8e8e8; text-align: center; }
td.no { width: 9mm; text-align: center; }
td.komp { width: 52mm; font-weight: bold; }
.maklumat { border: 2px solid #000; padding: 5mm; text-align: center; margin: 8mm 0 4mm;
            page-break-inside: avoid; }
.maklumat h3 { margin: 0 0 3mm; font-size: 13pt; }
.ttd { margin-top: 6mm; text-align: right; }
.catatan { font-size: 9.5pt; color: #333; }
@media screen { body { padding: 10mm; } }
"""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or value == "":
        return "<em>(tidak diisi)</em>"
    return "<br>".join(html.escape(line) for line in str(value).split("\n"))


def _group(std: dict, group: str, numbers: dict[str, int]) -> str:
    rows = [f'<tr><th class="grup" colspan="3">{html.escape(group)}</th></tr>']
    for key, label, g in COMPONENTS:
        if g != group:
            continue
        rows.append(
            f'<tr><td class="no">{numbers[key]}.</td><td class="komp">{html.escape(label)}</td>'
            f"<td>{_cell(std.get(key))}</td></tr>"
        )
    return "\n".join(rows)


def measured_text(measured: dict | None) -> list[str]:
    """Sentences on the service's measured cycle times (for the page and the print)."""
    if measured is None:
        return []
    cycles = measured["siklus"]
    where = f" wilayah {measured['wilayah']}" if measured["wilayah"] else ""
    head = f"Prosedur di pelacak SOP: {measured['judul_sop']} ({measured['kode_sop']})."
    if cycles.empty:
        return [head, f"Belum ada siklus{where} yang selesai untuk diukur."]
    mean_days = cycles["hari_kalender"].mean()
    text = [
        head,
        f"{fmt.angka(len(cycles))} siklus{where} selesai; rata-rata waktu siklus terukur "
        f"{fmt.angka(mean_days, 1)} hari kalender ({fmt.angka(cycles['hari_kerja'].mean(), 1)} "
        f"hari kerja), terlama {fmt.angka(cycles['hari_kalender'].max())} hari.",
    ]
    if measured["nilai"] is not None:
        within = int(cycles["dalam_jangka_waktu"].sum())
        text.append(
            f"Jangka waktu standar {measured['nilai']} {measured['satuan']}: "
            f"{fmt.angka(within)} dari {fmt.angka(len(cycles))} siklus selesai dalam jangka waktu."
        )
    else:
        text.append("Jangka waktu standar tidak dinyatakan sebagai lama waktu; tidak dibandingkan.")
    return text


def html_page(std: dict, measured: dict | None = None) -> str:
    """The standalone, printable HTML of one service's standar pelayanan."""
    numbers = {key: i for i, (key, _, _) in enumerate(COMPONENTS, start=1)}
    unit = std.get("nama_unit") or std.get("kode_unit") or ""
    maklumat = std.get("maklumat") or MAKLUMAT_BAKU
    signer = std.get("penanda_tangan")
    penetapan = std.get("penetapan")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        f"<title>Standar Pelayanan — {html.escape(str(std['nama_layanan']))}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Standar Pelayanan {html.escape(str(unit))}</h1>",
        f"<h2>Jenis Layanan: {html.escape(str(std['nama_layanan']))}</h2>",
    ]
    if isinstance(penetapan, str) and penetapan:
        parts.append(f'<p class="catatan">Ditetapkan dengan {html.escape(penetapan)}.</p>')
    parts.append("<table>")
    parts.append(_group(std, PENYAMPAIAN, numbers))
    parts.append(_group(std, PENGELOLAAN, numbers))
    parts.append("</table>")
    sentences = measured_text(measured)
    if sentences:
        parts.append('<p class="catatan">' + " ".join(html.escape(s) for s in sentences) + "</p>")
    parts.append('<div class="maklumat"><h3>MAKLUMAT PELAYANAN</h3>')
    parts.append(f"<p>&ldquo;{_cell(maklumat)}&rdquo;</p></div>")
    if isinstance(signer, str) and signer:
        parts.append(
            f'<div class="ttd">{html.escape(signer.upper())},<br><br><br><br>'
            "(.................................)</div>"
        )
    parts.append("</body></html>")
    return "\n".join(parts)
