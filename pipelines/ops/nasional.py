"""The national roll-up: one analytics file with the figures of every province.

Option A of ``docs/scale-out.md``: each province runs its own installation (one DuckDB
file); :func:`build` reads a folder of copies of those files and writes the national
analytics file that ``pipelines/capaian/nasional.py`` reads (the app's "Nasional" view).

- Every ``*.duckdb`` in the folder is attached **read-only** (``ATTACH ? AS ...
  (READ_ONLY)``, the path as a parameter), never opened for writing.
- First every file is inspected, and the build starts only when all pass: it is an SPM
  database, not a national file, has exactly the migrations this code ships and the
  same figure definitions (the views' checksum), and serves a province no other file
  serves. Every file that fails is named with what is wrong and what to do.
- The figures are read from each province's own views (its settings in force, its
  submissions' status), so a province's IP-SPM in the national file is the one the
  province itself shows, under the same column names and meanings; only the rows of
  the province served and its kabupaten/kota are taken. Where the file keeps the views'
  results in its tables (``m_*``, :mod:`pipelines.capaian.materi`) computed under the
  definitions, settings and catalog in force, those tables are read instead (the same
  rows, without computing them again).
- The file is built under a temporary name next to the output and renamed at the end:
  a failed build leaves nothing half-written and an earlier national file intact.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.capaian import materi
from pipelines.core import reference
from pipelines.db.store import DATA_DIR, Database, migration_names
from pipelines.db.views import views_checksum
from pipelines.errors import DatabaseBusy, SpmError

DEFAULT_OUT = DATA_DIR / "nasional.duckdb"
JENIS = "nasional"  # meta 'jenis' of a national analytics file
ALIAS = "sumber"  # the attached province file (a constant, never user input)

# National table -> (the province view it copies, the view's region column). The
# tables keep the views' names (without ``v_``) and every column of them.
FIGURES: dict[str, tuple[str, str]] = {
    "capaian_layanan": ("v_capaian_layanan", "kode_wilayah"),
    "capaian_urusan": ("v_capaian_urusan", "kode_wilayah"),
    "capaian_wilayah": ("v_capaian_wilayah", "kode_wilayah"),
    "capaian_provinsi": ("v_capaian_provinsi", "kode_provinsi"),
    "capaian_provinsi_urusan": ("v_capaian_provinsi_urusan", "kode_provinsi"),
    "proyeksi_layanan": ("v_proyeksi_layanan", "kode_wilayah"),
    "proyeksi_urusan": ("v_proyeksi_urusan", "kode_wilayah"),
    "proyeksi_wilayah": ("v_proyeksi_wilayah", "kode_wilayah"),
    "lppd_ikk": ("v_lppd_ikk", "kode_wilayah"),
    "lppd_kelengkapan": ("v_lppd_kelengkapan", "kode_wilayah"),
}
# The settings that change a figure; a province may differ (each is computed with its own).
SCORING_SETTINGS = ("bobot_penerima", "bobot_mutu", "metode_mutu", "tanpa_mutu", "kategori")
# What the views use when a settings version predates a key (010_settings.sql).
SCORING_BEFORE_KEY = {"metode_mutu": "per_kelompok", "tanpa_mutu": "penerima_saja"}


@dataclass
class ProvinceFile:
    """One province installation's database as found in the folder."""

    path: Path
    kode_provinsi: str | None = None
    nama_provinsi: str | None = None
    versi_setting: int | None = None
    penilaian: dict = field(default_factory=dict)  # SCORING_SETTINGS in force
    demo: bool = False
    submission: int = 0
    submission_final: int = 0
    terakhir_diunggah: dt.datetime | None = None
    baris_spm: int = 0
    baris_lppd: int = 0
    baris_di_luar_provinsi: int = 0
    problems: list[str] = field(default_factory=list)
    angka_tersimpan: bool = False  # its m_* tables hold its views' current results


@dataclass
class RollupResult:
    path: Path
    provinces: list[ProvinceFile]
    rows: dict[str, int]  # national table -> rows
    kabkota: int  # kabupaten/kota with an IP-SPM in some period
    periode: list[tuple[int, int]]  # (tahun, triwulan) with SPM figures, oldest first
    seconds: float
    bytes: int
    warnings: list[str]


def default_path() -> Path:
    """The national file: ``$SPM_NASIONAL`` if set, otherwise ``data/nasional.duckdb``."""
    env = os.environ.get("SPM_NASIONAL")
    return Path(env) if env else DEFAULT_OUT


def province_files(folder: Path, out: Path | None = None) -> list[Path]:
    """The ``*.duckdb`` files of ``folder`` (not its subfolders), by name, without
    ``out`` when the national file is written into the same folder."""
    if not folder.is_dir():
        raise SpmError(f"Folder {folder} tidak ada; sebutkan folder berisi berkas provinsi.")
    skip = out.resolve() if out is not None else None
    found = sorted(p for p in folder.glob("*.duckdb") if p.is_file() and p.resolve() != skip)
    if not found:
        raise SpmError(
            f"Folder {folder} tidak berisi berkas basis data provinsi (*.duckdb); salin berkas "
            "data/spm.duckdb setiap provinsi ke folder itu."
        )
    return found


@contextlib.contextmanager
def attached(db: Database, path: Path) -> Iterator[str]:
    """``path`` attached read-only to ``db`` as :data:`ALIAS` for the block; an
    SpmError naming the file when DuckDB cannot open it."""
    try:
        db.execute(f"ATTACH ? AS {ALIAS} (READ_ONLY)", [str(path)])
    except SpmError as exc:
        raise SpmError(
            f"Berkas {path.name} sedang dipakai proses lain untuk menulis; salin berkasnya "
            "(atau hentikan aplikasinya sebentar) lalu ulangi."
            if isinstance(exc, DatabaseBusy)
            else f"Berkas {path.name} tidak dapat dibuka sebagai basis data DuckDB; periksa "
            "bahwa berkas itu salinan utuh data/spm.duckdb sebuah provinsi."
        ) from None
    try:
        yield ALIAS
    finally:
        with contextlib.suppress(SpmError):
            db.execute(f"DETACH {ALIAS}")


def _tables(db: Database) -> set[str]:
    return {
        r[0]
        for r in db.rows(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = ?", [ALIAS]
        )
    }


def inspect(db: Database, path: Path) -> ProvinceFile:
    """What ``path`` holds and what keeps it out of the roll-up (``problems``)."""
    found = ProvinceFile(path)
    try:
        with attached(db, path) as src:
            _inspect_attached(db, src, found)
    except SpmError as exc:
        found.problems.append(str(exc))
    return found


def _inspect_attached(db: Database, src: str, found: ProvinceFile) -> None:
    name = found.path.name
    tables = _tables(db)
    meta = dict(db.rows(f"SELECT key, value FROM {src}.meta")) if "meta" in tables else {}
    if meta.get("jenis") == JENIS:
        found.problems.append(
            f"Berkas {name} adalah berkas data nasional, bukan basis data provinsi; "
            "pindahkan dari folder ini."
        )
        return
    if not {"_migrations", "meta", "setting_version", "submission"} <= tables:
        found.problems.append(
            f"Berkas {name} bukan basis data SPM yang sudah disiapkan; salin data/spm.duckdb "
            "provinsi itu (yang sudah dijalankan 'spm init')."
        )
        return
    applied = [r[0] for r in db.rows(f"SELECT name FROM {src}._migrations ORDER BY name")]
    expected = migration_names()
    missing = [m for m in expected if m not in applied]
    unknown = [m for m in applied if m not in expected]
    if missing:
        found.problems.append(
            f"Berkas {name}: versi skema lebih lama (migrasi belum diterapkan: "
            f"{', '.join(missing)}); perbarui dengan 'spm init --db {name}' memakai versi "
            "aplikasi ini, lalu salin lagi."
        )
    if unknown:
        found.problems.append(
            f"Berkas {name}: versi skema lebih baru dari aplikasi ini (migrasi tidak dikenal: "
            f"{', '.join(unknown)}); jalankan 'spm nasional' dengan versi aplikasi yang sama "
            "dengan provinsi itu."
        )
    if not missing and not unknown and meta.get("views_checksum") != views_checksum():
        found.problems.append(
            f"Berkas {name}: rumus angka (view) di dalamnya berbeda dari aplikasi ini; "
            f"jalankan 'spm init --db {name}' memakai versi aplikasi ini agar angkanya "
            "dihitung dengan rumus yang sama, lalu salin lagi."
        )
    settings_row = db.rows(
        f"SELECT versi, nilai FROM {src}.setting_version ORDER BY versi DESC LIMIT 1"
    )
    if not settings_row:
        found.problems.append(
            f"Berkas {name} belum punya pengaturan; jalankan 'spm init --db {name}'."
        )
        return
    found.versi_setting = settings_row[0][0]
    values = json.loads(settings_row[0][1])
    found.kode_provinsi = values.get("provinsi")
    katalog = (
        db.scalar(f"SELECT max(versi) FROM {src}.mutu_katalog") if "mutu_katalog" in tables else 0
    )
    found.angka_tersimpan = all(t in tables for t, _, _ in materi.TABLES) and meta.get(
        "figures_basis"
    ) == materi.basis_text(found.versi_setting, katalog)
    found.penilaian = {
        key: values.get(key, SCORING_BEFORE_KEY.get(key)) for key in SCORING_SETTINGS
    }
    found.demo = meta.get("demo") == "true"
    names = dict(db.rows(f"SELECT kode, nama FROM {src}.wilayah WHERE tingkat = 'provinsi'"))
    found.nama_provinsi = names.get(found.kode_provinsi)
    if found.nama_provinsi is None:
        found.problems.append(
            f"Berkas {name}: provinsi yang dilayani ({found.kode_provinsi}) tidak dikenal; "
            f"atur dengan 'spm init --db {name} --province KODE'."
        )
        return
    inside, params = reference.dalam_provinsi(found.kode_provinsi)
    counts = db.rows(
        f"SELECT count(*), count(*) FILTER (WHERE status = 'final'), max(diunggah_pada) "
        f"FROM {src}.submission WHERE {inside}",
        params,
    )[0]
    found.submission, found.submission_final, found.terakhir_diunggah = counts
    found.baris_spm = db.scalar(f"SELECT count(*) FROM {src}.spm_data WHERE {inside}", params)
    found.baris_lppd = db.scalar(f"SELECT count(*) FROM {src}.lppd_data WHERE {inside}", params)
    found.baris_di_luar_provinsi = db.scalar(
        f"SELECT (SELECT count(*) FROM {src}.spm_data WHERE NOT {inside}) "
        f"+ (SELECT count(*) FROM {src}.lppd_data WHERE NOT {inside})",
        params + params,
    )


def check_sources(paths: list[Path]) -> list[ProvinceFile]:
    """Inspect every file; SpmError listing every file that cannot be rolled up."""
    with Database.open(":memory:", migrate=False) as db:
        found = [inspect(db, path) for path in paths]
    by_province: dict[str, list[str]] = {}
    for item in found:
        if not item.problems and item.kode_provinsi:
            by_province.setdefault(item.kode_provinsi, []).append(item.path.name)
    problems = [p for item in found for p in item.problems]
    for kode, names in sorted(by_province.items()):
        if len(names) > 1:
            problems.append(
                f"Provinsi {kode} dilayani oleh lebih dari satu berkas ({', '.join(names)}); "
                "sisakan satu berkas per provinsi."
            )
    if problems:
        raise SpmError(
            f"Data nasional tidak dibangun; {len(problems)} masalah pada berkas di folder "
            f"{paths[0].parent}:\n- " + "\n- ".join(problems)
        )
    return found


def _warnings(found: list[ProvinceFile], known: int) -> list[str]:
    out = []
    reference_scoring = found[0].penilaian
    differ = [f for f in found if f.penilaian != reference_scoring]
    if differ:
        names = ", ".join(f"{f.kode_provinsi} ({f.path.name})" for f in differ)
        out.append(
            f"Pengaturan penilaian (bobot, rentang kategori) provinsi {names} berbeda dari "
            f"provinsi {found[0].kode_provinsi}; angka setiap provinsi dihitung dengan "
            "pengaturannya sendiri, jadi bandingkan peringkatnya dengan hati-hati."
        )
    for f in found:
        if f.baris_di_luar_provinsi:
            out.append(
                f"Berkas {f.path.name}: {f.baris_di_luar_provinsi} baris data wilayah di luar "
                f"provinsi {f.kode_provinsi} tidak diikutkan."
            )
        if not f.baris_spm and not f.baris_lppd:
            out.append(f"Berkas {f.path.name} (provinsi {f.kode_provinsi}) belum berisi data.")
    if len(found) < known:
        out.append(f"Baru {len(found)} dari {known} provinsi yang berkasnya ada di folder ini.")
    return out


def _check_out(out: Path) -> None:
    """Refuse to replace anything but an earlier national file."""
    if not out.exists():
        return
    try:
        with Database.open(":memory:", migrate=False) as db, attached(db, out) as src:
            jenis = db.scalar(f"SELECT value FROM {src}.meta WHERE key = 'jenis'")
    except SpmError:
        jenis = None
    if jenis != JENIS:
        raise SpmError(
            f"Berkas keluaran {out} sudah ada dan bukan berkas data nasional; pilih nama lain "
            "agar berkas itu tidak tertimpa."
        )


def build(folder: Path, out: Path | None = None, *, by: str = "sistem") -> RollupResult:
    """Build the national analytics file ``out`` from the province files in ``folder``."""
    started = time.perf_counter()
    out = Path(out) if out is not None else default_path()
    paths = province_files(Path(folder), out)
    _check_out(out)
    found = check_sources(paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.sementara")
    _remove(tmp)
    try:
        with Database.open(tmp, migrate=False) as db:
            rows = _write(db, found, by)
            known = db.scalar("SELECT count(*) FROM wilayah WHERE tingkat = 'provinsi'")
            kabkota = db.scalar(
                "SELECT count(DISTINCT c.kode_wilayah) FROM capaian_wilayah c "
                "JOIN wilayah w ON w.kode = c.kode_wilayah WHERE w.tingkat = 'kabupaten/kota'"
            )
            periode = db.rows(
                "SELECT DISTINCT tahun, triwulan FROM capaian_wilayah ORDER BY tahun, triwulan"
            )
            db.execute("CHECKPOINT")
        os.replace(tmp, out)
    finally:
        _remove(tmp)
    return RollupResult(
        path=out,
        provinces=found,
        rows=rows,
        kabkota=kabkota,
        periode=periode,
        seconds=time.perf_counter() - started,
        bytes=out.stat().st_size,
        warnings=_warnings(found, known),
    )


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            p.unlink()


def _write(db: Database, found: list[ProvinceFile], by: str) -> dict[str, int]:
    """Copy every province's figures into ``db`` (a new file under a temporary name: it
    counts only once renamed, so no transaction is needed around the copy)."""
    for i, item in enumerate(found):
        with attached(db, item.path) as src:
            if i == 0:
                _create_tables(db, src)
            inside, params = reference.dalam_provinsi(item.kode_provinsi)
            for table, (view, column) in FIGURES.items():
                if column == "kode_provinsi":
                    condition, values = "kode_provinsi = ?", [item.kode_provinsi]
                else:
                    condition, values = inside, params
                kept = f"m_{table}"
                if item.angka_tersimpan and any(t == kept for t, _, _ in materi.TABLES):
                    view = kept
                db.execute(
                    f"INSERT INTO {table} BY NAME SELECT * FROM {src}.{view} WHERE {condition}",
                    values,
                )
        _record_source(db, item)
    built = dt.datetime.now().replace(microsecond=0)
    for key, value in (
        ("jenis", JENIS),
        ("dibangun_pada", built.isoformat(sep=" ")),
        ("dibangun_oleh", by),
        ("migrasi", json.dumps(migration_names())),
        ("views_checksum", views_checksum()),
    ):
        db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [key, value])
    return {table: db.scalar(f"SELECT count(*) FROM {table}") for table in FIGURES}


def _create_tables(db: Database, src: str) -> None:
    """The national tables: each figure view's columns, the regions and services, the
    sources and the file's own meta."""
    for table, (view, _) in FIGURES.items():
        db.execute(f"CREATE TABLE {table} AS SELECT * FROM {src}.{view} LIMIT 0")
    db.execute(f"CREATE TABLE wilayah AS SELECT * FROM {src}.wilayah ORDER BY kode")
    db.execute(f"CREATE TABLE layanan AS SELECT * FROM {src}.layanan ORDER BY urutan")
    db.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    db.execute(
        "CREATE TABLE sumber ("
        " kode_provinsi VARCHAR PRIMARY KEY, nama_provinsi VARCHAR NOT NULL,"
        " nama_berkas VARCHAR NOT NULL, ukuran_berkas BIGINT NOT NULL,"
        " diubah_pada TIMESTAMP NOT NULL, versi_setting INTEGER, penilaian JSON,"
        " demo BOOLEAN NOT NULL, jumlah_submission INTEGER NOT NULL,"
        " jumlah_submission_final INTEGER NOT NULL, terakhir_diunggah TIMESTAMP,"
        " baris_spm INTEGER NOT NULL, baris_lppd INTEGER NOT NULL)"
    )


def _record_source(db: Database, item: ProvinceFile) -> None:
    stat = item.path.stat()
    db.execute(
        "INSERT INTO sumber VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            item.kode_provinsi,
            item.nama_provinsi,
            item.path.name,
            stat.st_size,
            dt.datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0),
            item.versi_setting,
            json.dumps(item.penilaian, ensure_ascii=False, sort_keys=True),
            item.demo,
            item.submission,
            item.submission_final,
            item.terakhir_diunggah,
            item.baris_spm,
            item.baris_lppd,
        ],
    )
