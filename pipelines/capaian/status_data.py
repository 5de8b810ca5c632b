"""Whether the data behind a figure is verified: the marker every figure shown to
leaders, and every report, carries.

A figure rests on submissions (the ``submission_id`` and ``status_submission`` of
the service rows of the capaian views). It is *verified* when every one of them is
``diverifikasi`` or ``final``; otherwise the figure can still move (a region may send
a corrected file) and says so: "1 dari 5 kabupaten/kota yang melapor belum
diverifikasi: Kabupaten Bangka Selatan (diajukan)".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.core import fmt

VERIFIED = frozenset({"diverifikasi", "final"})
KIRIMAN_COLUMNS = ["submission_id", "jenis", "kode_wilayah", "nama_wilayah", "pengirim", "status"]


def kiriman(*frames: pd.DataFrame, kode_provinsi: str | None = None) -> pd.DataFrame:
    """The submissions behind the rows of ``frames`` (capaian view rows with
    ``submission_id, status_submission, kode_wilayah, nama_wilayah``, optionally
    ``opd_pengampu``), one row each, by number: who sent it (the kabupaten/kota, or for
    the province's own services the OPD(s)) and its status."""
    parts = []
    for frame in frames:
        if frame is None or frame.empty or "submission_id" not in frame.columns:
            continue
        cols = ["submission_id", "status_submission", "kode_wilayah", "nama_wilayah"]
        part = frame[cols + (["opd_pengampu"] if "opd_pengampu" in frame.columns else [])]
        jenis = "LPPD" if "kode_ikk" in frame.columns else "SPM"
        parts.append(part.dropna(subset=["submission_id"]).assign(jenis=jenis))
    if not parts:
        return pd.DataFrame(columns=KIRIMAN_COLUMNS)
    rows = pd.concat(parts, ignore_index=True)
    if "opd_pengampu" not in rows.columns:
        rows["opd_pengampu"] = None
    out = []
    for sid, group in rows.groupby("submission_id", sort=True):
        first = group.iloc[0]
        pengirim = first["nama_wilayah"]
        if kode_provinsi is not None and first["kode_wilayah"] == kode_provinsi:
            opds = sorted({o for o in group["opd_pengampu"] if isinstance(o, str) and o})
            pengirim = ", ".join(opds) or f"Pemerintah Provinsi {first['nama_wilayah']}"
        out.append(
            [int(sid), first["jenis"], first["kode_wilayah"], first["nama_wilayah"], pengirim]
            + [first["status_submission"]]
        )
    return pd.DataFrame(out, columns=KIRIMAN_COLUMNS)


def belum_diverifikasi(kirim: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`kiriman` whose status is neither diverifikasi nor final."""
    return kirim[~kirim["status"].isin(VERIFIED)].reset_index(drop=True)


def uraian_kiriman(row) -> str:
    """'#46 SPM Kabupaten Bangka Selatan (diajukan)'."""
    return f"#{int(row.submission_id)} {row.jenis} {row.pengirim} ({row.status})"


KABKOTA = "kabupaten/kota yang melapor"
OPD_PANJANG = "kiriman perangkat daerah provinsi"


def _hitung(belum: tuple[str, ...], total: int, apa: str, *, nama: bool = False) -> str | None:
    """'<n> dari <total> <apa> belum diverifikasi', with who (``nama``); None when none."""
    if not belum:
        return None
    text = f"{fmt.angka(len(belum))} dari {fmt.angka(total)} {apa} belum diverifikasi"
    return f"{text}: {', '.join(belum)}" if nama else text


@dataclass(frozen=True)
class StatusData:
    """How much of the data behind a province's figures is not yet verified."""

    kabkota_melapor: int
    kabkota_belum: tuple[str, ...]  # 'Kabupaten Bangka Selatan (diajukan)'
    kiriman_provinsi: int  # submissions for the province's own services
    provinsi_belum: tuple[str, ...]  # 'Dinas Sosial (dikembalikan)'

    @property
    def terverifikasi(self) -> bool:
        return not self.kabkota_belum and not self.provinsi_belum

    def kalimat_kabkota(self) -> str | None:
        """'1 dari 5 kabupaten/kota yang melapor belum diverifikasi: ...', or None."""
        return _hitung(self.kabkota_belum, self.kabkota_melapor, KABKOTA, nama=True)

    def kalimat_provinsi(self) -> str | None:
        """'2 dari 6 kiriman perangkat daerah provinsi belum diverifikasi: ...', or None."""
        return _hitung(self.provinsi_belum, self.kiriman_provinsi, OPD_PANJANG, nama=True)

    def singkat_kabkota(self) -> str | None:
        """'1 dari 5 kabupaten/kota belum diverifikasi', or None."""
        return _hitung(self.kabkota_belum, self.kabkota_melapor, "kabupaten/kota")

    def singkat_provinsi(self) -> str | None:
        """'2 dari 6 kiriman perangkat daerah belum diverifikasi', or None."""
        return _hitung(self.provinsi_belum, self.kiriman_provinsi, "kiriman perangkat daerah")

    def kalimat(self) -> str | None:
        """Both sentences, or None when every submission is verified."""
        parts = [p for p in (self.kalimat_kabkota(), self.kalimat_provinsi()) if p]
        return "; ".join(parts) + "." if parts else None


def status_data(kirim: pd.DataFrame, kode_provinsi: str) -> StatusData:
    """The :class:`StatusData` of the submissions ``kirim`` (:func:`kiriman`) of one
    period: the province's own (``kode_provinsi``) and its kabupaten/kota."""
    own = kirim["kode_wilayah"] == kode_provinsi
    kab = kirim[~own]
    prov = kirim[own]

    def unverified(rows: pd.DataFrame, who: str) -> tuple[str, ...]:
        """'<who> (<statuses>)' for each sender with an unverified submission."""
        bad = rows[~rows["status"].isin(VERIFIED)]
        grouped = bad.groupby(who, sort=True)["status"].agg(lambda s: ", ".join(sorted(set(s))))
        return tuple(f"{name} ({status})" for name, status in grouped.items())

    return StatusData(
        kabkota_melapor=int(kab["kode_wilayah"].nunique()),
        kabkota_belum=unverified(kab, "nama_wilayah"),
        kiriman_provinsi=len(prov),
        provinsi_belum=unverified(prov, "pengirim"),
    )
