"""The demo's uploads: SPM and LPPD data that look like a real province's year.

:func:`build` makes the submissions and their rows as DataFrames from a seed (same
seed, same frames); :func:`write` commits them through the same code as real uploads.
Sasaran is sized to each region's population, achievement rises over the quarters and
the years with a character per region, a few services have no sasaran, some
submissions are missing, some late, some sent back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipelines.auth.access import Actor
from pipelines.auth.deadlines import deadline_calendar, quarter_deadline
from pipelines.core import settings
from pipelines.core.workdays import Calendar
from pipelines.db.store import Database
from pipelines.errors import SpmError
from pipelines.ingest.commit import commit_many
from pipelines.ops.demo import keterisian, mutu, pencilan

BABEL = "19"

# Approximate populations (thousands) of Bangka Belitung's regions, for sizing sasaran.
BABEL_POPULATION = {
    "19.01": 338,
    "19.02": 190,
    "19.03": 212,
    "19.04": 201,
    "19.05": 215,
    "19.06": 131,
    "19.71": 229,
}

# Share of the population that is sasaran of each service (per year), and how hard
# the service is (lower = lower achievement). Disaster services are often empty.
SERVICE_PROFILE: dict[str, tuple[float, float]] = {
    "PEND-K-01": (0.035, 0.0),
    "PEND-K-02": (0.16, 0.08),
    "PEND-K-03": (0.006, -0.15),
    "KES-K-01": (0.019, 0.04),
    "KES-K-02": (0.018, 0.05),
    "KES-K-03": (0.017, 0.06),
    "KES-K-04": (0.075, -0.02),
    "KES-K-05": (0.16, 0.03),
    "KES-K-06": (0.62, -0.12),
    "KES-K-07": (0.10, -0.06),
    "KES-K-08": (0.085, -0.18),
    "KES-K-09": (0.02, -0.14),
    "KES-K-10": (0.0015, -0.05),
    "KES-K-11": (0.004, -0.08),
    "KES-K-12": (0.02, -0.10),
    "PU-K-01": (0.27, -0.03),
    "PU-K-02": (0.27, -0.20),
    "PERKIM-K-01": (0.0004, -0.05),
    "PERKIM-K-02": (0.0002, -0.12),
    "TRANTIB-K-01": (0.004, 0.02),
    "TRANTIB-K-02": (0.09, -0.04),
    "TRANTIB-K-03": (0.09, -0.10),
    "TRANTIB-K-04": (0.0008, 0.05),
    "TRANTIB-K-05": (0.0003, 0.03),
    "SOS-K-01": (0.001, -0.07),
    "SOS-K-02": (0.0012, -0.05),
    "SOS-K-03": (0.0015, -0.06),
    "SOS-K-04": (0.0003, -0.09),
    "SOS-K-05": (0.0008, 0.0),
    "PEND-P-01": (0.05, 0.02),
    "PEND-P-02": (0.002, -0.10),
    "KES-P-01": (0.0008, 0.04),
    "KES-P-02": (0.0003, 0.02),
    "PU-P-01": (0.05, -0.15),
    "PU-P-02": (0.03, -0.22),
    "PERKIM-P-01": (0.0002, -0.05),
    "PERKIM-P-02": (0.0001, -0.08),
    "TRANTIB-P-01": (0.002, 0.03),
    "SOS-P-01": (0.0002, -0.02),
    "SOS-P-02": (0.0002, 0.0),
    "SOS-P-03": (0.0002, -0.01),
    "SOS-P-04": (0.0001, -0.06),
    "SOS-P-05": (0.0003, 0.02),
}
# Services whose sasaran is often 0 (no disaster, no relocation that year).
OFTEN_EMPTY = {
    "PERKIM-K-01",
    "PERKIM-K-02",
    "SOS-K-05",
    "TRANTIB-K-04",
    "KES-P-01",
    "KES-P-02",
    "PERKIM-P-01",
    "PERKIM-P-02",
    "SOS-P-05",
}
SUBMISSION_KEY = ["form", "kode_wilayah", "tahun", "triwulan", "kode_opd"]
QUARTER_SHARE = np.array([0.22, 0.47, 0.73, 1.0])

PERMASALAHAN = [
    (
        "Data sasaran belum mutakhir karena pendataan lapangan belum selesai",
        "Pemutakhiran data sasaran bersama Disdukcapil dan desa/kelurahan",
    ),
    (
        "Keterbatasan tenaga pelaksana di kecamatan terluar",
        "Penugasan tenaga tambahan dan kerja sama dengan puskesmas/sekolah terdekat",
    ),
    (
        "Anggaran pemenuhan pelayanan dasar belum mencukupi",
        "Pengusulan tambahan anggaran pada APBD Perubahan dan DAK",
    ),
    (
        "Sarana dan prasarana pendukung belum lengkap",
        "Pengadaan bertahap sesuai rencana pemenuhan pelayanan dasar",
    ),
    (
        "Akses ke wilayah kepulauan terkendala cuaca",
        "Penjadwalan ulang layanan bergerak pada musim teduh",
    ),
    (
        "Koordinasi lintas perangkat daerah belum optimal",
        "Rapat koordinasi Tim Penerapan SPM setiap triwulan",
    ),
]

REVIEW_COMMENTS = [
    "Jumlah sasaran berbeda dengan data triwulan sebelumnya; mohon dicek kembali.",
    "Kolom permasalahan dan solusi belum diisi untuk layanan yang belum tuntas.",
    "Data dukung anggaran realisasi belum dilampirkan.",
]


@dataclass
class DemoFrames:
    submissions: pd.DataFrame
    spm: pd.DataFrame
    lppd: pd.DataFrame
    mutu: pd.DataFrame  # mutu item rows (pipelines/ops/demo/mutu.py)


def _regions(db: Database, scale: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kabupaten/kota with population, provinces) for the demo scale."""
    if scale == "babel":
        kab = db.df(
            "SELECT kode, kode_provinsi FROM wilayah WHERE tingkat = 'kabupaten/kota' "
            "AND kode_provinsi = ? ORDER BY kode",
            [BABEL],
        )
        prov = db.df("SELECT kode FROM wilayah WHERE kode = ?", [BABEL])
    elif scale == "national":
        kab = db.df(
            "SELECT kode, kode_provinsi FROM wilayah WHERE tingkat = 'kabupaten/kota' ORDER BY kode"
        )
        prov = db.df("SELECT kode FROM wilayah WHERE tingkat = 'provinsi' ORDER BY kode")
    else:
        raise SpmError(f"Skala demo '{scale}' tidak dikenal; pilih 'babel' atau 'national'.")
    if kab.empty:
        raise SpmError("Data wilayah belum dimuat; jalankan 'spm init' terlebih dahulu.")
    return kab, prov


def build(
    db: Database, *, scale: str = "babel", years: list[int], lppd_years: list[int], seed: int = 7
) -> DemoFrames:
    rng = np.random.default_rng(seed)
    values = settings.current(db)
    day = values["hari_batas_triwulan"]
    calendar = deadline_calendar(values, years)
    kab, prov = _regions(db, scale)
    layanan = db.df("SELECT kode, tingkat, kode_opd FROM layanan ORDER BY urutan")
    ikk = db.df("SELECT kode_ikk, cara_hitung FROM ikk ORDER BY urutan")

    pop = np.array([BABEL_POPULATION.get(k, 0) for k in kab["kode"]], dtype=float) * 1000
    missing_pop = pop == 0
    pop[missing_pop] = np.round(np.exp(rng.normal(12.9, 0.7, missing_pop.sum())), -2)
    kab = kab.assign(populasi=pop)
    prov_pop = kab.groupby("kode_provinsi")["populasi"].sum()
    prov = prov.assign(populasi=prov["kode"].map(prov_pop).fillna(1_000_000).to_numpy())

    kab_services = layanan[layanan["tingkat"] == "kabupaten/kota"]
    prov_services = layanan[layanan["tingkat"] == "provinsi"]

    frames = [
        _spm_frame(rng, kab, kab_services, years, "spm-kabkota"),
        _spm_frame(rng, prov, prov_services, years, "spm-provinsi"),
    ]
    spm = pd.concat(frames, ignore_index=True)
    if scale == "babel":
        spm = keterisian.kosongkan(pencilan.sisipkan(spm))
    spm, submissions = _submissions(rng, spm, years, day, calendar)
    spm, items = mutu.rincian(rng, spm, mutu.catalog(db))
    lppd, lppd_subs = _lppd_frame(rng, pd.concat([prov, kab]), ikk, lppd_years)
    submissions = pd.concat([submissions, lppd_subs], ignore_index=True)
    return DemoFrames(submissions=submissions, spm=spm, lppd=lppd, mutu=items)


def _spm_frame(
    rng: np.random.Generator,
    regions: pd.DataFrame,
    services: pd.DataFrame,
    years: list[int],
    form: str,
) -> pd.DataFrame:
    n_reg, n_svc, n_year = len(regions), len(services), len(years)
    region_level = rng.normal(0.80, 0.07, n_reg)  # each region's character
    region_trend = rng.uniform(0.015, 0.05, n_reg)  # yearly improvement
    codes = services["kode"].to_numpy()
    share = np.array([SERVICE_PROFILE[c][0] for c in codes])
    difficulty = np.array([SERVICE_PROFILE[c][1] for c in codes])
    often_empty = np.array([c in OFTEN_EMPTY for c in codes])

    shape = (n_reg, n_svc, n_year)
    base = region_level[:, None, None] + difficulty[None, :, None]
    trend = region_trend[:, None, None] * np.arange(n_year)[None, None, :]
    rate = np.clip(base + trend + rng.normal(0, 0.04, shape), 0.25, 1.08)
    growth = (1.012 ** np.arange(n_year))[None, None, :]
    sasaran = np.round(
        regions["populasi"].to_numpy()[:, None, None]
        * share[None, :, None]
        * growth
        * rng.uniform(0.9, 1.1, shape)
    )
    empty = often_empty[None, :, None] & (rng.random(shape) < 0.45)
    sasaran[empty] = 0
    sasaran = np.maximum(sasaran, 0)
    no_mutu = rng.random(shape) < 0.04
    mutu_rate = np.clip(rate + rng.normal(0.05, 0.08, shape), 0.3, 1.2)
    bj_need = np.where(no_mutu, 0, np.maximum(np.round(sasaran / 40), 1))
    sdm_need = np.where(no_mutu, 0, np.maximum(np.round(sasaran / 400), 1))
    unit_cost = rng.uniform(40_000, 400_000, n_svc)[None, :, None]
    rencana = np.round(sasaran * unit_cost, -3)

    records = []
    for q in range(4):
        frac = np.clip(QUARTER_SHARE[q] * rng.normal(1.0, 0.03, shape), 0, 1.05)
        if q == 3:
            frac = np.ones(shape)
        terlayani = np.round(sasaran * rate * frac)
        bj_avail = np.round(bj_need * np.minimum(mutu_rate * (0.7 + 0.3 * frac), 1.2))
        sdm_avail = np.round(sdm_need * np.minimum(mutu_rate * (0.85 + 0.15 * frac), 1.2))
        realisasi = np.round(rencana * frac * rng.uniform(0.75, 1.0, shape), -3)
        idx = np.indices(shape).reshape(3, -1)
        r, s, y = idx
        flat = {
            "kode_wilayah": regions["kode"].to_numpy()[r],
            "tahun": np.array(years)[y],
            "triwulan": q + 1,
            "kode_layanan": codes[s],
            "kode_opd": services["kode_opd"].to_numpy()[s],
            "jumlah_sasaran": sasaran.reshape(-1).astype(np.int64),
            "jumlah_terlayani": terlayani.reshape(-1).astype(np.int64),
            "mutu_barang_jasa_kebutuhan": bj_need.reshape(-1).astype(np.int64),
            "mutu_barang_jasa_tersedia": bj_avail.reshape(-1).astype(np.int64),
            "mutu_sdm_kebutuhan": sdm_need.reshape(-1).astype(np.int64),
            "mutu_sdm_tersedia": sdm_avail.reshape(-1).astype(np.int64),
            "anggaran_rencana": rencana.reshape(-1),
            "anggaran_realisasi": realisasi.reshape(-1),
        }
        records.append(pd.DataFrame(flat))
    frame = pd.concat(records, ignore_index=True)
    frame["form"] = form
    n = len(frame)
    year_idx = frame["tahun"] - min(years)
    # Later years have the four tahapan done more often.
    p_done = np.clip(
        0.55 + 0.12 * year_idx.to_numpy() + 0.1 * frame["triwulan"].to_numpy() / 4, 0, 0.97
    )
    for i, col in enumerate(
        [
            "tahap_pengumpulan_data",
            "tahap_penghitungan_kebutuhan",
            "tahap_penyusunan_rencana",
            "tahap_pelaksanaan",
        ]
    ):
        frame[col] = rng.random(n) < np.clip(p_done + 0.08 - 0.06 * i, 0, 0.99)
    behind = frame["jumlah_terlayani"] < frame["jumlah_sasaran"]
    pick = rng.integers(0, len(PERMASALAHAN), n)
    write_text = behind.to_numpy() & (rng.random(n) < 0.85)
    frame["permasalahan"] = np.where(write_text, [PERMASALAHAN[i][0] for i in pick], None)
    frame["solusi"] = np.where(write_text, [PERMASALAHAN[i][1] for i in pick], None)
    return frame


def _submissions(
    rng: np.random.Generator,
    spm: pd.DataFrame,
    years: list[int],
    day: int,
    calendar: Calendar | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One submission per region x period (x OPD for the province's own services)."""
    spm = spm.copy()
    spm.loc[spm["form"] == "spm-kabkota", "kode_opd"] = None
    key = SUBMISSION_KEY
    subs = spm.groupby(key, dropna=False, sort=True).size().reset_index(name="jumlah_baris")
    n = len(subs)
    last_year = max(years)
    is_last = (subs["tahun"] == last_year).to_numpy()
    # A few periods never arrived (more in the latest quarter of the latest year).
    missing = rng.random(n) < np.where(is_last & (subs["triwulan"] == 4).to_numpy(), 0.2, 0.02)
    subs = subs[~missing].reset_index(drop=True)
    n = len(subs)
    is_last = (subs["tahun"] == last_year).to_numpy()
    late = rng.random(n) < 0.12
    offsets = np.where(late, rng.integers(1, 20, n), -rng.integers(0, 25, n))
    due = [
        quarter_deadline(int(y), int(q), day, calendar)
        for y, q in zip(subs["tahun"], subs["triwulan"], strict=True)
    ]
    minutes = rng.integers(8 * 60, 16 * 60, n)
    subs["diunggah_pada"] = [
        dt.datetime.combine(d + dt.timedelta(days=int(o)), dt.time()) + dt.timedelta(minutes=int(m))
        for d, o, m in zip(due, offsets, minutes, strict=True)
    ]
    subs["terlambat"] = late
    status = np.full(n, "final", dtype=object)
    recent = is_last & (subs["triwulan"] >= 3).to_numpy()
    roll = rng.random(n)
    status[recent] = np.select(
        [roll[recent] < 0.3, roll[recent] < 0.45, roll[recent] < 0.8],
        ["diajukan", "dikembalikan", "diverifikasi"],
        "final",
    )
    subs["status"] = status
    subs["catatan"] = np.where(
        status == "dikembalikan",
        [REVIEW_COMMENTS[i] for i in rng.integers(0, len(REVIEW_COMMENTS), n)],
        None,
    )
    subs["nama_berkas"] = [
        f"{f}_{w}_{y}_TW{q}{'_' + o if isinstance(o, str) else ''}.xlsx"
        for f, w, y, q, o in zip(
            subs["form"],
            subs["kode_wilayah"],
            subs["tahun"],
            subs["triwulan"],
            subs["kode_opd"],
            strict=True,
        )
    ]
    subs["diunggah_oleh"] = [
        f"opd-{o}" if isinstance(o, str) else f"kab-{w}"
        for w, o in zip(subs["kode_wilayah"], subs["kode_opd"], strict=True)
    ]
    subs["jumlah_baru"] = subs["jumlah_baris"]
    kept = spm.merge(subs[key], on=key, how="inner")
    return kept, subs


def _lppd_frame(
    rng: np.random.Generator, regions: pd.DataFrame, ikk: pd.DataFrame, years: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    subs = []
    for y_i, year in enumerate(years):
        for _, reg in regions.iterrows():
            level = rng.normal(0.78, 0.08) + 0.02 * y_i
            if rng.random() < 0.04:
                continue  # this region sent no LPPD data this year
            subs.append(
                {
                    "form": "lppd-ikk",
                    "kode_wilayah": reg["kode"],
                    "tahun": year,
                    "triwulan": None,
                    "kode_opd": None,
                    "diunggah_pada": dt.datetime(year + 1, 2, 1, 9)
                    + dt.timedelta(
                        days=int(rng.integers(0, 55)), minutes=int(rng.integers(0, 480))
                    ),
                    "status": "final",
                    "terlambat": False,
                    "catatan": None,
                    "nama_berkas": f"lppd-ikk_{reg['kode']}_{year}.xlsx",
                    "diunggah_oleh": f"kab-{reg['kode']}" if "." in reg["kode"] else "analis",
                }
            )
            count = 0
            for _, ind in ikk.iterrows():
                if rng.random() < 0.05:
                    continue  # IKK left empty
                rate = float(np.clip(level + rng.normal(0, 0.1), 0.2, 1.0))
                if ind["cara_hitung"] == "rasio":
                    penyebut = float(round(reg["populasi"] * rng.uniform(0.01, 0.2)))
                    pembilang = float(round(penyebut * rate))
                    capaian = round(pembilang / penyebut * 100, 2) if penyebut else None
                elif ind["cara_hitung"] == "ceklis":
                    pembilang, penyebut = None, None
                    capaian = 100.0 if rate > 0.6 else 0.0
                else:
                    pembilang, penyebut = None, None
                    capaian = round(rate * 100, 2)
                dukung = (
                    f"{ind['kode_ikk']}_{reg['kode']}_{year}.pdf" if rng.random() < 0.85 else None
                )
                rows.append(
                    {
                        "form": "lppd-ikk",
                        "kode_wilayah": reg["kode"],
                        "tahun": year,
                        "kode_ikk": ind["kode_ikk"],
                        "pembilang": pembilang,
                        "penyebut": penyebut,
                        "capaian": capaian,
                        "data_dukung": dukung,
                        "keterangan": None,
                    }
                )
                count += 1
            subs[-1]["jumlah_baris"] = count
            subs[-1]["jumlah_baru"] = count
    return pd.DataFrame(rows), pd.DataFrame(subs)


DEMO_ACTOR = Actor(username="demo", role="admin")


def write(db: Database, frames: DemoFrames) -> None:
    """Commit every demo submission through the same code as real uploads."""
    subs = frames.submissions.drop(columns=["jumlah_baris", "jumlah_baru"], errors="ignore")
    for is_lppd in (False, True):
        part = subs[(subs["form"] == "lppd-ikk") == is_lppd].reset_index(drop=True)
        if part.empty:
            continue
        part.insert(0, "_sub", range(len(part)))
        if is_lppd:
            keys = ["form", "kode_wilayah", "tahun"]
            rows = frames.lppd.merge(part[keys + ["_sub"]], on=keys, how="inner")
        else:
            rows = frames.spm.merge(part[SUBMISSION_KEY + ["_sub"]], on=SUBMISSION_KEY, how="inner")
        rows = rows.drop(columns=["form", "kode_opd"], errors="ignore")
        items = None
        if not is_lppd:
            keys = ["kode_wilayah", "tahun", "triwulan", "kode_layanan"]
            items = frames.mutu.merge(rows[[*keys, "_sub"]], on=keys, how="inner")
        commit_many(db, part, rows, DEMO_ACTOR, items=items)
