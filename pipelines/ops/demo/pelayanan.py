"""The demo's public service delivery: units beside the OPD catalog, standar pelayanan
(the shipped Balangan sample and a copy for each Babel kabupaten/kota Bagian
Pemerintahan), SKM answers of the last two years (a few units without a survey this
year; units in every mutu band), complaints of the current year (some past their
deadlines), and the kabupaten/kota LPPD and LKPj cycles (:mod:`siklus_kabkota`).

Everything goes through the library (unit.add, standar.load, skm_unggah.write,
pengaduan.create/change_status/dispose), deterministic by the seed.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.auth.access import Actor
from pipelines.core import reference, settings
from pipelines.db.store import Database
from pipelines.ops.demo import siklus_kabkota
from pipelines.pelayanan import pengaduan, skm, skm_unggah, standar
from pipelines.pelayanan import unit as units

ADMIN = Actor("demo", "admin")
ANALIS = Actor("demo-analis", "analis")
PROVINCIAL_UNITS = [
    ("biro-pem", "Biro Pemerintahan Sekretariat Daerah Provinsi Kepulauan Bangka Belitung"),
    ("dpmptsp", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("samsat", "UPTD Sistem Administrasi Manunggal Satu Atap (Samsat) Pangkalpinang"),
]
# How satisfied each unit's users tend to be (mean answer); units missing here: 3,2.
LEVEL = {
    "disdik": 3.6,
    "dinkes": 3.25,
    "pupr": 2.75,
    "perkim": 3.05,
    "satpolpp": 2.45,
    "bpbd": 3.4,
    "damkar": 3.65,
    "dinsos": 3.0,
    "biro-pem": 3.45,
    "dpmptsp": 3.55,
    "samsat": 2.9,
}
NO_SURVEY_THIS_YEAR = {"damkar", "perkim", "bagpem-19.05", "bagpem-19.71"}
# Unsur that run lower or higher than a unit's level (what to improve: waktu, sarana).
UNSUR_SHIFT = [0.05, -0.05, -0.35, 0.45, 0.0, 0.05, 0.15, -0.25, -0.2]
JOBS = ["PNS", "Wiraswasta", "Pegawai swasta", "Pelajar/Mahasiswa", "Petani/Nelayan", "Lainnya"]
COMPLAINTS = [
    ("dinkes", "Antrean layanan rujukan di RSUD terlalu lama", "pengaduan"),
    ("dinkes", "Obat hipertensi di puskesmas kosong", "pengaduan"),
    ("disdik", "Jadwal penerimaan peserta didik baru SMA", "permintaan informasi"),
    ("disdik", "Usul penambahan ruang kelas SMK", "aspirasi"),
    ("pupr", "Jalan provinsi ruas Sungailiat berlubang", "pengaduan"),
    ("pupr", "Drainase tersumbat di Jalan Jenderal Sudirman", "pengaduan"),
    ("samsat", "Pembayaran pajak kendaraan daring gagal", "pengaduan"),
    ("samsat", "Syarat balik nama kendaraan", "permintaan informasi"),
    ("dpmptsp", "Izin usaha belum terbit melewati jangka waktu", "pengaduan"),
    ("dinsos", "Bantuan sosial lansia belum diterima", "pengaduan"),
    ("satpolpp", "Pedagang kaki lima menutup trotoar", "pengaduan"),
    ("bpbd", "Usul pelatihan siaga banjir di desa", "aspirasi"),
    ("biro-pem", "Permintaan data batas wilayah kecamatan", "permintaan informasi"),
]
BAGPEM_COMPLAINTS = [
    ("pem-01", "Batas desa dengan kecamatan tetangga belum jelas", "pengaduan"),
    ("pem-03", "Nama pulau kecil belum dibakukan", "aspirasi"),
    ("pem-05", "Permintaan salinan LPPD tahun lalu", "permintaan informasi"),
]
NAMES = [
    "Ahmad Fauzi",
    "Siti Rahmawati",
    "Budi Santoso",
    "Rina Oktaviani",
    "Yusuf Hidayat",
    "Maya Sari",
    "Andi Pratama",
    "Lestari Wulandari",
    "Joko Susilo",
    "Nur Aisyah",
]


def load_demo(db: Database, years: list[int], *, seed: int = 7) -> None:
    """Replace the demo's public-service data (call on a demo database only)."""
    rng = np.random.default_rng(seed + 1700)
    for table in (
        "pengaduan_riwayat",
        "pengaduan",
        "skm_respon",
        "skm_unggah",
        "standar_pelayanan",
        "unit_layanan",
    ):
        db.execute(f"DELETE FROM {table}")
    last = max(years)
    kab = reference.kabkota(db)
    for kode, nama in PROVINCIAL_UNITS:
        units.add(db, kode, nama, actor=ADMIN, kode_wilayah=settings.served_province(db))
    for r in kab.itertuples(index=False):
        units.add(
            db,
            f"bagpem-{r.kode}",
            f"Bagian Pemerintahan Setda {r.nama}",
            actor=ADMIN,
            kode_wilayah=r.kode,
        )
    standar.load_sample(db, by="demo")
    _standar_kabkota(db, kab)
    siklus_kabkota.load_demo(db, years, seed=seed)
    with db.transaction():
        for tahun in (last, last + 1):
            _skm(db, tahun, rng, this_year=tahun == last + 1)
    _complaints(db, last + 1, rng)


def _standar_kabkota(db: Database, kab: pd.DataFrame) -> None:
    """Each Babel kabupaten/kota Bagian Pemerintahan adopts the Balangan sample."""
    with standar.SAMPLE_FILE.open(encoding="utf-8", newline="") as fh:
        sample = list(csv.DictReader(fh))
    rows = []
    for r in kab.itertuples(index=False):
        short = r.nama.replace("Kabupaten ", "").replace("Kota ", "")
        head = "Wali Kota" if r.jenis == "Kota" else "Bupati"
        for s in sample:
            row = {
                k: (
                    v.replace("Kabupaten Balangan", r.nama)
                    .replace("Bupati Balangan", f"{head} {short}")
                    .replace("Gubernur Kalimantan Selatan", "Gubernur Kepulauan Bangka Belitung")
                    .replace("Balangan", short)
                )
                for k, v in s.items()
            }
            row.update(
                kode_unit=f"bagpem-{r.kode}",
                nama_unit="",
                kode_wilayah_unit="",
                kode_layanan=s["kode_layanan"].replace("balangan", f"bagpem-{r.kode}"),
                penanganan_pengaduan=f"Bagian Pemerintahan Setda {r.nama}\nSP4N-LAPOR! (lapor.go.id)",
                penetapan=f"Keputusan Sekretaris Daerah {r.nama} (contoh demo, disalin dari "
                "standar Bagian Pemerintahan Kabupaten Balangan, seed 002)",
                penanda_tangan=f"Sekretaris Daerah {r.nama}",
            )
            rows.append(row)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "standar_bagpem_babel.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        standar.load(db, path, actor=ADMIN)


def _skm(db: Database, tahun: int, rng: np.random.Generator, *, this_year: bool) -> None:
    last_day = dt.date(tahun, 10, 31) if this_year else dt.date(tahun, 12, 20)
    for unit in skm.units_in_province(db).itertuples(index=False):
        if this_year and unit.kode in NO_SURVEY_THIS_YEAR:
            continue
        level = LEVEL.get(unit.kode, 3.2) + (0.08 if this_year else 0.0)
        n = int(rng.integers(40, 160))
        days = rng.integers(0, (last_day - dt.date(tahun, 2, 1)).days, n)
        records = []
        for i in range(n):
            rec = {
                "baris": i + 4,
                "tanggal": dt.date(tahun, 2, 1) + dt.timedelta(days=int(days[i])),
            }
            for j, key in enumerate(skm.UNSUR_KEYS):
                value = int(np.clip(round(rng.normal(level + UNSUR_SHIFT[j], 0.55)), 1, 4))
                rec[key] = None if rng.random() < 0.03 else value
            rec.update(
                layanan=None,
                jenis_kelamin="L" if rng.random() < 0.52 else "P",
                umur=int(rng.integers(18, 70)),
                pendidikan=skm.PENDIDIKAN[int(rng.integers(2, 5))],
                pekerjaan=JOBS[int(rng.integers(0, len(JOBS)))],
            )
            records.append(rec)
        frame = pd.DataFrame.from_records(records, columns=skm_unggah.ROW_COLUMNS)
        skm_unggah.write(
            db,
            frame,
            kode_unit=unit.kode,
            tahun=tahun,
            by="demo",
            nama_berkas=skm.template_name(unit.kode, tahun),
            sha256=None,
            when=dt.datetime.combine(last_day, dt.time(10, 0)),
        )


def _complaints(db: Database, tahun: int, rng: np.random.Generator) -> None:
    """About fifty complaints of the current year, most answered, some past deadlines."""
    today = dt.date(tahun, 11, 27)
    kab = list(reference.kabkota(db)["kode"])
    plans = [(u, t, k, None) for u, t, k in COMPLAINTS] * 3
    plans += [
        (f"bagpem-{r}", t, k, f"bagpem-{r}-{s}") for r in kab for s, t, k in BAGPEM_COMPLAINTS[:2]
    ]
    order = rng.permutation(len(plans))
    start = dt.date(tahun, 1, 6)
    span = (today - start).days
    for n, idx in enumerate(order):
        unit_kode, judul, klas, layanan = plans[idx]
        received = start + dt.timedelta(days=int(span * (n + 1) / (len(plans) + 1)))
        kanal = pengaduan.KANAL[int(rng.choice(6, p=[0.2, 0.1, 0.1, 0.1, 0.4, 0.1]))]
        who = NAMES[int(rng.integers(0, len(NAMES)))]
        nomor = pengaduan.create(
            db,
            actor=ANALIS,
            kode_unit=unit_kode,
            kanal=kanal,
            klasifikasi=klas,
            judul=judul,
            isi=f"{judul}. Mohon ditindaklanjuti.",
            diterima_pada=received,
            kode_layanan=layanan,
            nama_pelapor=who,
            kontak_pelapor=f"08{int(rng.integers(11, 99))}-{int(rng.integers(1000, 9999))}-{int(rng.integers(1000, 9999))}",
            nomor_lapor=f"LAP-{tahun}{int(rng.integers(100000, 999999))}"
            if kanal == "SP4N-LAPOR!"
            else None,
            today=today,
        )
        _follow_up(db, nomor, received, today, rng)


def _follow_up(db: Database, nomor: str, received: dt.date, today: dt.date, rng) -> None:
    """Move a demo complaint as a unit would: most answered in time, a few late or open."""
    cal = pengaduan.calendar(db)
    age = cal.working_days(received + dt.timedelta(days=1), today)
    fate = rng.random()
    if age < 3 or fate < 0.08:
        return  # just received, or forgotten (past its deadlines when old)
    verified = cal.end_of(cal.next_working_day(received + dt.timedelta(days=1)), 1, "hari")
    pengaduan.change_status(
        db,
        nomor,
        "diverifikasi",
        actor=ANALIS,
        tanggal=min(verified, today),
        catatan="Diverifikasi admin pengaduan.",
        today=today,
    )
    if fate < 0.16:
        return  # verified but not answered yet
    if fate < 0.22:
        pengaduan.change_status(
            db,
            nomor,
            "bukan wewenang",
            actor=ANALIS,
            tanggal=min(verified, today),
            catatan="Kewenangan pemerintah kabupaten/kota.",
            today=today,
        )
        return
    delay = int(rng.integers(1, 4)) if fate < 0.85 else int(rng.integers(6, 12))
    answered = min(cal.end_of(verified, delay, "hari"), today)
    pengaduan.change_status(
        db,
        nomor,
        "ditindaklanjuti",
        actor=ANALIS,
        tanggal=answered,
        tanggapan="Pengaduan sedang ditindaklanjuti oleh unit terkait.",
        today=today,
    )
    if fate > 0.35 and age > 12:
        done = min(cal.end_of(answered, int(rng.integers(2, 10)), "hari"), today)
        pengaduan.change_status(
            db,
            nomor,
            "selesai",
            actor=ANALIS,
            tanggal=done,
            tanggapan="Telah diselesaikan; terima kasih atas laporannya.",
            today=today,
        )
