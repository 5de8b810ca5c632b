"""Where one SPM service figure comes from: its inputs, the formula with the numbers
filled in, the result and kategori, the submission behind it and the settings version
(``spm explain``, the page Telusuri Angka and the analysts' explain component).

The figure itself is read from the computation view (``capaian_layanan`` in
``pipelines/db/sql/030_capaian.sql``), never recomputed: this module only writes out
how the view got it.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.core import fmt, mutu_item, reference
from pipelines.db.store import Database
from pipelines.errors import AccessDenied, SpmError


@dataclass
class Explanation:
    """Where one service figure comes from: inputs, formula with numbers, submission."""

    kode_wilayah: str
    nama_wilayah: str
    tahun: int
    triwulan: int
    kode_layanan: str
    nama_layanan: str
    urusan: str
    masukan: list[tuple[str, str]]  # (label, value in Indonesian format)
    rumus: list[str]  # formula lines, numbers filled in (Indonesian format)
    capaian_penerima: float | None
    capaian_mutu: float | None
    nilai: float | None
    kategori: str | None
    tanpa_sasaran: bool
    versi_setting: int
    bobot_penerima: float
    bobot_mutu: float
    submission: dict[str, Any] = field(default_factory=dict)
    metode_mutu: str = "per_kelompok"  # settings metode_mutu and tanpa_mutu in force
    tanpa_mutu: str = "penerima_saja"

    @property
    def judul(self) -> str:
        return (
            f"{self.nama_layanan} — {self.nama_wilayah}, {fmt.triwulan(self.triwulan)} {self.tahun}"
        )

    @property
    def hasil(self) -> str:
        if self.tanpa_sasaran:
            return "Tidak ada sasaran (tidak dihitung dalam rata-rata urusan dan IP-SPM)"
        if self.nilai is None:
            return "Belum dapat dihitung (data terlayani belum diisi)"
        return f"Nilai {fmt.angka(self.nilai, 2)} — {self.kategori}"

    def sumber(self) -> list[tuple[str, str]]:
        s = self.submission
        return [
            ("Berkas", s.get("nama_berkas") or "–"),
            ("SHA-256", s.get("sha256") or "–"),
            ("Diunggah pada", fmt.waktu(s.get("diunggah_pada"))),
            ("Diunggah oleh", s.get("diunggah_oleh") or "–"),
            ("Status", s.get("status") or "–"),
            ("Nomor pengiriman", str(s.get("id") or "–")),
        ]

    def as_text(self) -> str:
        """The explanation as plain Indonesian text (CLI, logs, reports)."""
        lines = [self.judul, f"Kode layanan {self.kode_layanan}; urusan {self.urusan}.", ""]
        lines.append("Masukan:")
        lines += [f"  {label}: {value}" for label, value in self.masukan]
        lines += ["", "Perhitungan:"]
        lines += [f"  {line}" for line in self.rumus]
        lines += ["", f"Hasil: {self.hasil}", "", "Sumber data:"]
        lines += [f"  {label}: {value}" for label, value in self.sumber()]
        lines.append(
            f"  Pengaturan versi {self.versi_setting} (bobot penerima "
            f"{fmt.angka(self.bobot_penerima * 100, 0)} %, bobot mutu "
            f"{fmt.angka(self.bobot_mutu * 100, 0)} %, metode mutu {self.metode_mutu}, "
            f"tanpa mutu {self.tanpa_mutu})"
        )
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Machine form (plain numbers, ISO times) for JSON."""
        out = asdict(self)
        out["masukan"] = [{"label": k, "nilai": v} for k, v in self.masukan]
        sub = dict(self.submission)
        if isinstance(sub.get("diunggah_pada"), dt.datetime):
            sub["diunggah_pada"] = sub["diunggah_pada"].isoformat()
        out["submission"] = sub
        return out


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _ratio_line(label: str, num: float | None, den: float | None, result: float | None) -> str:
    return f"{label} = min({fmt.angka(num)} / {fmt.angka(den)} ; 1) × 100 = {fmt.angka(result, 2)}"


def _items(db: Database, r: dict) -> list[dict]:
    """The mutu items behind one figure (v_spm_mutu_item), named from the catalog in
    force (or, for an item it no longer lists, the service's kelompok text)."""
    return db.dicts(
        "SELECT i.kelompok, i.kode_item, i.kebutuhan, i.tersedia, "
        "coalesce(c.nama_item, CASE i.kelompok WHEN 'barang_jasa' THEN l.mutu_barang_jasa "
        "ELSE l.mutu_sdm END) AS nama_item, c.satuan, coalesce(c.sampel, false) AS sampel "
        "FROM v_spm_mutu_item i JOIN layanan l ON l.kode = i.kode_layanan "
        "LEFT JOIN v_mutu_item c ON c.kode_layanan = i.kode_layanan AND c.kode_item = i.kode_item "
        "WHERE i.kode_wilayah = ? AND i.tahun = ? AND i.triwulan = ? AND i.kode_layanan = ? "
        "ORDER BY i.kelompok, coalesce(c.urutan, 0), i.kode_item",
        [r["kode_wilayah"], int(r["tahun"]), int(r["triwulan"]), r["kode_layanan"]],
    )


def _item_label(item: dict) -> str:
    name = f"{item['kode_item']} {item['nama_item']}"
    if item["satuan"]:
        name += f" ({item['satuan']})"
    return name + (" [sampel]" if item["sampel"] else "")


def _mutu_lines(items: list[dict], r: dict, metode: str, tanpa_mutu: str) -> list[str]:
    """capaian_mutu with the numbers filled in, by the method in force."""
    c_mutu = _num(r["capaian_mutu"])
    dinilai = [i for i in items if (_num(i["kebutuhan"]) or 0) > 0]
    if not dinilai:
        if tanpa_mutu == "nol":
            return [
                "Tidak ada target mutu (tidak ada item dengan kebutuhan > 0): capaian mutu = 0 "
                "(pengaturan tanpa_mutu = nol)."
            ]
        return [
            "Tidak ada pasangan mutu (semua kebutuhan 0): capaian mutu tidak ada, "
            "nilai = capaian penerima."
        ]
    lines = []
    if metode == "per_item":
        shares = []
        for i in dinilai:
            k, t = _num(i["kebutuhan"]), _num(i["tersedia"]) or 0
            share = min(t / k, 1) * 100
            shares.append(share)
            lines.append(_ratio_line(f"Capaian item {i['kode_item']}", t, k, share))
        joined = " + ".join(fmt.angka(x, 2) for x in shares)
        lines.append(
            f"Capaian mutu (rata-rata per item) = ({joined}) / {len(shares)} = "
            f"{fmt.angka(c_mutu, 2)}"
        )
        return lines
    parts = []
    for kelompok, label, column in (
        ("barang_jasa", "Capaian mutu barang/jasa", "capaian_mutu_barang_jasa"),
        ("sdm", "Capaian mutu SDM", "capaian_mutu_sdm"),
    ):
        group = [i for i in dinilai if i["kelompok"] == kelompok]
        value = _num(r[column])
        if not group or value is None:
            continue
        parts.append(value)
        if len(group) == 1:
            i = group[0]
            lines.append(_ratio_line(label, _num(i["tersedia"]) or 0, _num(i["kebutuhan"]), value))
            continue
        met = " + ".join(
            fmt.angka(min(_num(i["tersedia"]) or 0, _num(i["kebutuhan"]))) for i in group
        )
        need = " + ".join(fmt.angka(_num(i["kebutuhan"])) for i in group)
        lines.append(
            f"{label} = (min(tersedia ; kebutuhan) per item: {met}) / ({need}) × 100 = "
            f"{fmt.angka(value, 2)}"
        )
    if len(parts) == 1:
        lines.append(f"Capaian mutu = {fmt.angka(c_mutu, 2)} (satu pasangan mutu)")
    else:
        joined = " + ".join(fmt.angka(p, 2) for p in parts)
        lines.append(f"Capaian mutu = ({joined}) / {len(parts)} = {fmt.angka(c_mutu, 2)}")
    return lines


def _kategori_line(db: Database, nilai: float, kategori: str) -> str:
    """The band the nilai falls in, with both its bounds where it has them:
    'Kategori: 80 ≤ 81,50 < 90 → Tuntas Madya', 'Kategori: 56,25 < 60 → Belum Tuntas'."""
    bands = db.rows("SELECT kategori, batas_bawah FROM v_kategori ORDER BY batas_bawah")
    lower = next((float(b) for k, b in bands if k == kategori), None)
    above = [float(b) for _, b in bands if lower is not None and float(b) > lower]
    upper = min(above) if above else None
    lowest = lower is None or lower <= min(float(b) for _, b in bands)
    shown = fmt.angka(nilai, 2)
    if upper is None:
        return f"Kategori: {shown} ≥ {fmt.angka(lower, 0)} → {kategori}"
    if lowest:
        return f"Kategori: {shown} < {fmt.angka(upper, 0)} → {kategori}"
    return f"Kategori: {fmt.angka(lower, 0)} ≤ {shown} < {fmt.angka(upper, 0)} → {kategori}"


def explain(
    db: Database,
    kode_wilayah: str,
    tahun: int,
    triwulan: int,
    kode_layanan: str,
    *,
    actor: Actor | None = None,
) -> Explanation:
    """Explain one service figure. Raises SpmError when no submission holds it, and
    AccessDenied when ``actor`` may not see it."""
    query.check_period(tahun, triwulan)
    if actor is not None and not access.can_see(
        actor, kode_wilayah, access.layanan_opd(db).get(kode_layanan)
    ):
        raise AccessDenied(
            f"Akun {actor.username} tidak berhak melihat angka {kode_layanan} wilayah "
            f"{kode_wilayah}."
        )
    rows = db.dicts(
        "SELECT * FROM m_capaian_layanan WHERE tahun = ? AND triwulan = ? AND kode_wilayah = ? "
        "AND kode_layanan = ?",
        [int(tahun), int(triwulan), kode_wilayah, kode_layanan],
    )
    if not rows:
        catalog = reference.layanan(db).set_index("kode")
        if kode_layanan not in catalog.index:
            raise SpmError(f"Kode layanan '{kode_layanan}' tidak dikenal.")
        region = reference.wilayah(db, kode_wilayah)
        if region is None:
            raise SpmError(f"Kode wilayah '{kode_wilayah}' tidak dikenal.")
        raise SpmError(
            f"Belum ada data {catalog.at[kode_layanan, 'nama']} untuk {region['nama']} pada {fmt.triwulan(triwulan)} {tahun}: "
            "data itu belum dikirim, jadi tidak ada angka untuk dijelaskan."
        )
    r = rows[0]
    weights = db.dicts(
        "SELECT versi, bobot_penerima, bobot_mutu FROM v_setting_aktif WHERE versi = ?",
        [r["versi_setting"]],
    )[0]
    bp, bm = float(weights["bobot_penerima"]), float(weights["bobot_mutu"])
    sasaran, terlayani = _num(r["jumlah_sasaran"]), _num(r["jumlah_terlayani"])
    bj_k, bj_t = _num(r["mutu_barang_jasa_kebutuhan"]), _num(r["mutu_barang_jasa_tersedia"])
    sdm_k, sdm_t = _num(r["mutu_sdm_kebutuhan"]), _num(r["mutu_sdm_tersedia"])
    c_pen, c_mutu, nilai = _num(r["capaian_penerima"]), _num(r["capaian_mutu"]), _num(r["nilai"])

    items = _items(db, r)
    masukan = [
        ("Jumlah sasaran", fmt.angka(sasaran)),
        ("Jumlah terlayani", fmt.angka(terlayani)),
        ("Mutu barang/jasa: kebutuhan", fmt.angka(bj_k)),
        ("Mutu barang/jasa: tersedia", fmt.angka(bj_t)),
        ("Mutu SDM: kebutuhan", fmt.angka(sdm_k)),
        ("Mutu SDM: tersedia", fmt.angka(sdm_t)),
    ]
    if len(items) > 2 or any(i["kode_item"] not in mutu_item.GENERIC.values() for i in items):
        masukan += [
            (
                f"Item {mutu_item.KELOMPOK[i['kelompok']]} {_item_label(i)}",
                f"kebutuhan {fmt.angka(_num(i['kebutuhan']))}, "
                f"tersedia {fmt.angka(_num(i['tersedia']))}",
            )
            for i in items
        ]
    rumus: list[str] = []
    tanpa = bool(r["tanpa_sasaran"])
    if tanpa:
        rumus.append(
            "Jumlah sasaran 0: tidak ada yang harus dilayani pada periode ini, sehingga "
            "layanan ini tidak dinilai dan tidak masuk rata-rata urusan maupun IP-SPM."
        )
    elif c_pen is None:
        rumus.append("Capaian penerima tidak dapat dihitung: jumlah sasaran atau terlayani kosong.")
    else:
        rumus.append(_ratio_line("Capaian penerima", terlayani, sasaran, c_pen))
    if not tanpa:
        rumus += _mutu_lines(items, r, r["metode_mutu"], r["tanpa_mutu"])
        if nilai is not None and c_mutu is not None:
            rumus.append(
                f"Nilai = {fmt.angka(bp, 2)} × {fmt.angka(c_pen, 2)} + {fmt.angka(bm, 2)} × "
                f"{fmt.angka(c_mutu, 2)} = {fmt.angka(nilai, 2)}"
            )
        elif nilai is not None:
            rumus.append(f"Nilai = capaian penerima = {fmt.angka(nilai, 2)}")
        if nilai is not None:
            rumus.append(_kategori_line(db, nilai, r["kategori"]))
    kurang = _num(r["kurang_terlayani"])
    if kurang:
        line = f"Masih harus dilayani = {fmt.angka(sasaran)} − {fmt.angka(terlayani)} = "
        line += fmt.angka(kurang)
        if _num(r["biaya_satuan"]) is not None:
            line += (
                f"; perkiraan biaya = {fmt.angka(kurang)} × {fmt.rupiah(r['biaya_satuan'])} = "
                f"{fmt.rupiah(r['perkiraan_biaya'])}"
            )
        rumus.append(line)

    submission = db.dicts(
        "SELECT id, form, nama_berkas, sha256, diunggah_pada, diunggah_oleh, status, terlambat "
        "FROM submission WHERE id = ?",
        [r["submission_id"]],
    )
    return Explanation(
        kode_wilayah=r["kode_wilayah"],
        nama_wilayah=r["nama_wilayah"],
        tahun=int(r["tahun"]),
        triwulan=int(r["triwulan"]),
        kode_layanan=r["kode_layanan"],
        nama_layanan=r["nama_layanan"],
        urusan=r["urusan"],
        masukan=masukan,
        rumus=rumus,
        capaian_penerima=c_pen,
        capaian_mutu=c_mutu,
        nilai=nilai,
        kategori=r["kategori"],
        tanpa_sasaran=tanpa,
        versi_setting=int(r["versi_setting"]),
        bobot_penerima=bp,
        bobot_mutu=bm,
        submission=submission[0] if submission else {},
        metode_mutu=r["metode_mutu"],
        tanpa_mutu=r["tanpa_mutu"],
    )
