"""The narrative draft (DOCX, python-docx) the analyst edits before signing.

BAB I Pendahuluan (legal basis from the settings ``laporan_dasar_hukum``), BAB II
Penerapan dan Pencapaian SPM per urusan with tables and sentences generated from the
figures, BAB III Kendala dan Solusi gathered from the submissions, BAB IV Penutup.
Every number is a figure of :class:`~pipelines.laporan.data.ReportData`, formatted
the Indonesian way by :mod:`pipelines.core.fmt`.
"""

from __future__ import annotations

import io

import docx
import pandas as pd
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from pipelines.capaian.labels import IP_SPM_PEMPROV, RATA_KABKOTA, RATA_KABKOTA_TERTIMBANG
from pipelines.core import fmt, settings
from pipelines.laporan import docx_layout
from pipelines.laporan.berkas import EPOCH, normalise_ooxml
from pipelines.laporan.data import ReportData

CREATOR = "Pemantauan SPM dan LPPD - Biro Pemerintahan"
# A4 portrait: 21 cm less the margins (wider on the bound side) is the tables' width.
LEFT_MARGIN_CM, RIGHT_MARGIN_CM = 2.5, 2.0
TEXT_WIDTH_CM = 21.0 - LEFT_MARGIN_CM - RIGHT_MARGIN_CM


def _num(value: object) -> float | None:
    """A figure as a float; None when missing or not a number."""
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def perubahan(selisih: object, ada_pembanding: bool, tahun_lalu: int) -> str:
    """'naik 3,10 poin dibanding tahun 2024' from the view's selisih_tahun_lalu."""
    diff = _num(selisih)
    if not ada_pembanding or diff is None:
        return f"belum ada data pembanding tahun {tahun_lalu}"
    if abs(diff) < 0.005:
        return f"sama dengan tahun {tahun_lalu}"
    arah = "naik" if diff > 0 else "turun"
    return f"{arah} {fmt.angka(abs(diff), 2)} poin dibanding tahun {tahun_lalu}"


def kalimat_capaian(
    subjek: str,
    wilayah: str,
    periode: str,
    nilai: object,
    kategori: object,
    nilai_lalu: object,
    selisih: object,
    tahun_lalu: int,
) -> str:
    """'Capaian SPM urusan Kesehatan Kabupaten Bangka pada Triwulan IV 2025 sebesar
    86,40 (Tuntas Madya), naik 3,10 poin dibanding tahun 2024.' (``selisih`` is the
    change the capaian views computed, never recomputed here)."""
    return kalimat_angka(
        f"Capaian {subjek} {wilayah}",
        periode,
        nilai,
        kategori,
        nilai_lalu,
        selisih,
        tahun_lalu,
        kosong="tidak ada sasaran atau data belum disampaikan",
    )


def kalimat_angka(
    nama: str,
    periode: str,
    nilai: object,
    kategori: object,
    nilai_lalu: object,
    selisih: object,
    tahun_lalu: int,
    *,
    kosong: str = "data belum disampaikan",
) -> str:
    """'IP-SPM Pemerintah Provinsi (...) pada Triwulan IV 2025 sebesar 84,53 (Tuntas
    Madya), naik 1,20 poin dibanding tahun 2024.': a named figure of the report
    (``kosong``: why it cannot be computed when it has no value)."""
    now = _num(nilai)
    if now is None:
        return f"{nama} pada {periode} belum dapat dihitung ({kosong})."
    change = perubahan(selisih, _num(nilai_lalu) is not None, tahun_lalu)
    return f"{nama} pada {periode} sebesar {fmt.angka(now, 2)} ({kategori}), {change}."


def _status_data(document, data: ReportData) -> None:
    """On the cover: which data behind the figures is not yet verified (the list a
    forced finalisation keeps), or that all of it is."""
    lines = data.catatan_status()
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not lines:
        run = p.add_run("Status data: seluruh data di balik angka laporan ini telah diverifikasi.")
        run.font.size = Pt(9)
        return
    run = p.add_run(f"Status data: {lines[0]}")
    run.bold = True
    run.font.size = Pt(9)
    for line in lines[1:]:
        item = document.add_paragraph(style="List Bullet")
        item.add_run(line).font.size = Pt(9)


def _table(document, header: list[str], rows: list[list[str]]) -> None:
    """A table laid out for print (docx_layout: fitted widths, repeated header)."""
    docx_layout.table(document, header, rows, TEXT_WIDTH_CM)
    document.add_paragraph()


def _layanan_table(document, group: pd.DataFrame) -> None:
    rows = [
        [
            str(r.nama_layanan),
            fmt.angka(_num(r.jumlah_sasaran)),
            fmt.angka(_num(r.jumlah_terlayani)),
            fmt.angka(_num(r.capaian_penerima), 2),
            fmt.angka(_num(r.capaian_mutu), 2),
            fmt.angka(_num(r.nilai), 2),
            str(r.kategori or "–"),
        ]
        for r in group.itertuples(index=False)
    ]
    _table(
        document,
        [
            "Jenis Pelayanan Dasar",
            "Sasaran",
            "Terlayani",
            "Penerima (%)",
            "Mutu (%)",
            "Nilai",
            "Kategori",
        ],
        rows,
    )


def build_docx(data: ReportData) -> bytes:
    """The narrative draft for the province package or one kabupaten/kota."""
    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.orientation = WD_ORIENT.PORTRAIT
    section.left_margin, section.right_margin = Cm(LEFT_MARGIN_CM), Cm(RIGHT_MARGIN_CM)
    style = document.styles["Normal"]
    style.font.name = docx_layout.FONT
    style.font.size = Pt(11)

    props = document.core_properties
    stamp = data.waktu_data or EPOCH
    props.author = CREATOR
    props.last_modified_by = CREATOR
    props.created = stamp
    props.modified = stamp
    props.revision = 1
    props.language = "id-ID"
    props.keywords = f"versi_data={data.versi_data}; versi_setting={data.versi_setting}"

    provinsi = data.scope.kode_provinsi is not None
    if provinsi:
        subjek_wilayah = f"Provinsi {data.scope.nama_provinsi}"
    else:
        subjek_wilayah = ", ".join(data.kabkota_wilayah["nama"].head(3))
        if len(data.kabkota_wilayah) > 3:
            subjek_wilayah += f" dan {len(data.kabkota_wilayah) - 3} kabupaten/kota lain"
    props.title = f"Laporan Penerapan dan Pencapaian SPM {subjek_wilayah} {data.periode}"

    for text, size in (
        ("LAPORAN PENERAPAN DAN PENCAPAIAN", 16),
        ("STANDAR PELAYANAN MINIMAL", 16),
        (subjek_wilayah.upper(), 14),
        (data.periode.upper(), 14),
    ):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold = True
        run.font.size = Pt(size)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(
        "Draf untuk disunting sebelum ditandatangani. "
        f"{data.label_versi_data}; pengaturan versi {data.versi_setting}."
    )
    run.italic = True
    run.font.size = Pt(9)
    _status_data(document, data)

    tahun_lalu = data.tahun - 1
    _bab_i(document, data, subjek_wilayah)
    _bab_ii(document, data, subjek_wilayah, tahun_lalu)
    _bab_iii(document, data)
    _bab_iv(document, data, subjek_wilayah)

    buf = io.BytesIO()
    document.save(buf)
    return normalise_ooxml(buf.getvalue(), stamp)


def _bab_i(document, data: ReportData, subjek: str) -> None:
    document.add_heading("BAB I PENDAHULUAN", level=1)
    document.add_heading("1.1 Latar Belakang", level=2)
    document.add_paragraph(
        "Standar Pelayanan Minimal (SPM) merupakan ketentuan mengenai jenis dan mutu "
        "pelayanan dasar yang merupakan urusan pemerintahan wajib yang berhak diperoleh "
        "setiap warga negara secara minimal. Pemerintah daerah menerapkan SPM melalui "
        "empat tahapan: pengumpulan data, penghitungan kebutuhan pemenuhan pelayanan "
        "dasar, penyusunan rencana pemenuhan pelayanan dasar, dan pelaksanaan pemenuhan "
        f"pelayanan dasar. Laporan ini menyajikan hasil penerapan SPM {subjek} pada "
        f"{data.periode}, kendala yang dihadapi, dan ketersediaan anggaran."
    )
    document.add_heading("1.2 Dasar Hukum", level=2)
    dasar = data.settings.get("laporan_dasar_hukum") or settings.defaults().get(
        "laporan_dasar_hukum", []
    )
    for i, item in enumerate(dasar, 1):
        document.add_paragraph(f"{i}. {item};")
    document.add_heading("1.3 Maksud dan Tujuan", level=2)
    document.add_paragraph(
        "Laporan ini disusun sebagai bahan penyampaian hasil penerapan dan pencapaian SPM "
        "kepada Menteri Dalam Negeri melalui Direktorat Jenderal Bina Pembangunan Daerah, "
        "serta sebagai bahan evaluasi dan perencanaan pemenuhan pelayanan dasar."
    )


def _bab_ii(document, data: ReportData, subjek: str, tahun_lalu: int) -> None:
    document.add_heading("BAB II PENERAPAN DAN PENCAPAIAN SPM", level=1)
    bagian = 1
    if data.scope.kode_provinsi is not None:
        document.add_heading(f"2.{bagian} SPM Kewenangan Provinsi", level=2)
        bagian += 1
        pw = data.provinsi_wilayah
        document.add_paragraph(
            kalimat_angka(
                IP_SPM_PEMPROV.nama,
                data.periode,
                pw["nilai"] if pw else None,
                pw["kategori"] if pw else None,
                pw["nilai_lalu"] if pw else None,
                pw["selisih"] if pw else None,
                tahun_lalu,
            )
            + f" {IP_SPM_PEMPROV.nama} = {IP_SPM_PEMPROV.rumus}."
            + (
                f" Catatan: {data.status.kalimat_provinsi()}; angka ini dapat berubah."
                if data.status.kalimat_provinsi()
                else ""
            )
        )
        urusan = (
            data.provinsi_urusan.set_index("urusan") if not data.provinsi_urusan.empty else None
        )
        for u in data.urusan:
            group = data.provinsi_layanan[data.provinsi_layanan["urusan"] == u]
            if group.empty:
                continue
            document.add_heading(f"Urusan {u}", level=3)
            if urusan is not None and u in urusan.index:
                document.add_paragraph(
                    kalimat_capaian(
                        f"SPM urusan {u}",
                        subjek,
                        data.periode,
                        urusan.loc[u, "nilai"],
                        urusan.loc[u, "kategori"],
                        urusan.loc[u, "nilai_lalu"],
                        urusan.loc[u, "selisih_tahun_lalu"],
                        tahun_lalu,
                    )
                )
            _layanan_table(document, group)
            anggaran = group[["anggaran_rencana", "anggaran_realisasi"]].astype(float).sum()
            if anggaran["anggaran_rencana"] > 0:
                document.add_paragraph(
                    f"Ketersediaan anggaran urusan {u}: rencana "
                    f"{fmt.rupiah(anggaran['anggaran_rencana'])}, realisasi "
                    f"{fmt.rupiah(anggaran['anggaran_realisasi'])} "
                    f"({fmt.persen(anggaran['anggaran_realisasi'] / anggaran['anggaran_rencana'] * 100)})."
                )

    kab = data.kabkota_wilayah
    if kab.empty:
        return
    judul = (
        "Evaluasi Penerapan SPM Kabupaten/Kota"
        if data.scope.kode_provinsi is not None
        else "Penerapan dan Pencapaian SPM Kabupaten/Kota"
    )
    document.add_heading(f"2.{bagian} {judul}", level=2)
    ag = data.agregat_kabkota
    if ag:
        text = (
            f"Pada {data.periode}, {ag['jumlah_melapor']} dari {ag['jumlah_kabkota']} "
            f"kabupaten/kota telah menyampaikan data SPM. {RATA_KABKOTA.nama} sebesar "
            f"{fmt.angka(ag['nilai'], 2)} ({ag['kategori']})."
        )
        if _num(ag.get("nilai_tertimbang")) is not None:
            text += (
                f" {RATA_KABKOTA_TERTIMBANG.nama} sebesar "
                f"{fmt.angka(_num(ag['nilai_tertimbang']), 2)} ({ag['kategori_tertimbang']})."
            )
        kalimat = data.status.kalimat_kabkota()
        if kalimat:
            text += f" Catatan: {kalimat}; angka ini dapat berubah."
        document.add_paragraph(text)
    ranked = kab[kab["peringkat"].notna()].sort_values(["peringkat", "kode"])
    if len(ranked) > 1:
        top, bottom = ranked.iloc[0], ranked.iloc[-1]
        document.add_paragraph(
            f"IP-SPM tertinggi dicapai {top['nama']} sebesar {fmt.angka(top['nilai'], 2)} "
            f"({top['kategori']}), terendah {bottom['nama']} sebesar "
            f"{fmt.angka(bottom['nilai'], 2)} ({bottom['kategori']})."
        )
    missing = kab[~kab["melapor"].astype(bool)]
    if not missing.empty:
        document.add_paragraph("Belum menyampaikan data: " + ", ".join(missing["nama"]) + ".")
    _table(
        document,
        ["Peringkat", "Kabupaten/Kota", "IP-SPM", "Kategori", f"IP-SPM {tahun_lalu}"],
        [
            [
                fmt.angka(_num(r.peringkat)),
                str(r.nama),
                fmt.angka(_num(r.nilai), 2),
                str(r.kategori) if r.melapor else "Belum melapor",
                fmt.angka(_num(r.nilai_lalu), 2),
            ]
            for r in kab.sort_values(["peringkat", "kode"], na_position="last").itertuples(
                index=False
            )
        ],
    )
    ku = data.kabkota_urusan
    names = dict(zip(kab["kode"], kab["nama"], strict=True))
    for u in data.urusan:
        rows = ku[ku["urusan"] == u]
        if rows.empty:
            continue
        document.add_heading(f"Urusan {u}", level=3)
        for r in rows.sort_values("kode_wilayah").itertuples(index=False):
            document.add_paragraph(
                kalimat_capaian(
                    f"SPM urusan {u}",
                    names.get(r.kode_wilayah, r.nama_wilayah),
                    data.periode,
                    r.nilai,
                    r.kategori,
                    r.nilai_lalu,
                    r.selisih_tahun_lalu,
                    tahun_lalu,
                ),
                style="List Bullet",
            )


def _bab_iii(document, data: ReportData) -> None:
    document.add_heading("BAB III KENDALA DAN SOLUSI", level=1)
    kendala = data.kendala
    if kendala.empty:
        document.add_paragraph(
            f"Tidak ada permasalahan yang dilaporkan dalam data SPM {data.periode}."
        )
        return
    document.add_paragraph(
        "Permasalahan dan solusi berikut dihimpun dari isian kolom permasalahan dan solusi "
        f"pada data SPM {data.periode} yang disampaikan perangkat daerah dan "
        "kabupaten/kota."
    )
    for u in data.urusan:
        rows = kendala[kendala["urusan"] == u]
        if rows.empty:
            continue
        document.add_heading(f"Urusan {u}", level=3)
        _table(
            document,
            ["Permasalahan", "Solusi", "Disampaikan oleh", "Jumlah layanan"],
            [
                [str(r.permasalahan), str(r.solusi or "–"), str(r.wilayah), fmt.angka(r.jumlah)]
                for r in rows.itertuples(index=False)
            ],
        )


def _bab_iv(document, data: ReportData, subjek: str) -> None:
    document.add_heading("BAB IV PENUTUP", level=1)
    closing = document.add_paragraph(
        f"Demikian laporan penerapan dan pencapaian SPM {subjek} {data.periode} ini "
        "disusun sebagai pertanggungjawaban pelaksanaan pelayanan dasar dan bahan "
        "pembinaan serta pengawasan penerapan SPM. Kendala yang dihadapi akan ditindaklanjuti "
        "melalui rencana pemenuhan pelayanan dasar dan koordinasi Tim Penerapan SPM."
    )
    docx_layout.signature_block(
        document,
        closing,
        [
            "",
            "……………, ……………………",
            "(jabatan penanda tangan),",
            "",
            "",
            "",
            "(nama lengkap dan tanda tangan)",
            "NIP. ……………………………………",
        ],
        indent_cm=TEXT_WIDTH_CM / 2,
    )
