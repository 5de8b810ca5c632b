"""`spm --as USER`: every command, as every demo role, allowed or refused by the app's rules.

The commands come from the CLI parser itself, so a new command without a rule here fails
:func:`test_every_command_has_a_rule`. Each rule says which roles may run the command (the
roles the app gives the page or action, dashboard/app.py ``PAGES`` and the library's checks
in pipelines/auth/access.py, review.py, sop/step.py, pelayanan/...). A refusal is exit 1,
one Indonesian sentence (``Galat: ...``), no traceback and nothing written: every table's
row count, the audit trail and the output files are as before. An allowed write is audited
under the ``--as`` account. ``--as nobody`` (no such account) is refused for every command.
"""

from __future__ import annotations

import datetime as dt
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipelines.auth import deadlines, users
from pipelines.auth.access import local_admin
from pipelines.cli.root import cli
from pipelines.db.store import Database
from pipelines.ingest import templates
from pipelines.laporan import records
from pipelines.sop import cycle, dokumen_penerapan, dokumen_tahapan, evidence, step, transitions
from tests.ingest_helpers import fill, spm_values

ROOT = Path(__file__).resolve().parents[2]
OPERATOR = local_admin("uji")
USERS = {
    "admin": "admin",
    "analis": "analis",
    "pimpinan": "pimpinan",
    "kab": "kab-19.01",
    "opd": "opd-dinkes",
}
ALL = frozenset(USERS)
BIRO = frozenset({"admin", "analis"})
ADMIN = frozenset({"admin"})
UPLOADERS = frozenset({"kab", "opd"})
NONE: frozenset[str] = frozenset()  # the machine's operator only (no --as)

TODAY = dt.date.today()
YEAR, QUARTER = TODAY.year, (TODAY.month - 1) // 3 + 1  # the open period
CYCLE_YEAR = 2026
PASSWORD = "rahasia-panjang-sekali\n"


@dataclass(frozen=True)
class Rule:
    args: str  # after `spm --as USER`, before `--db FILE`; {placeholders} per role
    roles: frozenset[str]  # who may
    writes: bool = False  # an allowed run is audited under the --as account
    db: bool = True  # takes --db
    scoped: bool = False  # an uploader sees only its own region or OPD in the output
    stdin: str | None = None


# Everything a command needs, per role: its own region, unit, submission, complaint...
COMMON = {
    "wil": "19.01",
    "lay": "KES-K-01",
    "tpl": "--form spm-kabkota --region 19.01",
    "unit": "bagpem-19.01",
    # the Biro's cycle of CYCLE_YEAR (started by the demo): a step not started, one
    # running, one sent back; and a year with no cycle yet
    "cyc": "",
    "cy": str(CYCLE_YEAR),
    "belum": "A7",
    "jalan": "A6",
    "tunggu": "B5",
    "new_cycle": str(CYCLE_YEAR + 1),
}
# Kabupaten Bangka's own LPPD cycle of the next year, started by the fixture
KAB_CYCLE = {
    "cyc": "--sop lppd-kabkota",
    "cy": str(CYCLE_YEAR + 1),
    "belum": "A1",
    "jalan": "A2",
    "tunggu": "A3",
    "new_cycle": str(CYCLE_YEAR + 2),
}
OWN = {
    "admin": COMMON,
    "analis": COMMON,
    "pimpinan": COMMON,
    "kab": {**COMMON, **KAB_CYCLE},
    "opd": {
        **COMMON,
        "wil": "19",
        "lay": "KES-P-01",
        "tpl": "--form spm-provinsi --region 19 --opd dinkes",
        "unit": "dinkes",
    },
    "nobody": COMMON,
}

RULES: dict[str, Rule] = {
    # -- setting the machine up: the operator, never an account (no page in the app)
    "init": Rule("init", NONE),
    "demo": Rule("demo --years 2025", NONE),
    "restore": Rule("restore {empty} --db {out}/pulih.duckdb", NONE, db=False),
    "nasional": Rule("nasional --from {empty} --out {out}/nasional.duckdb", NONE, db=False),
    "backup": Rule("backup --out {out}/cadangan", ADMIN),
    "check": Rule("check", ADMIN),
    "recompute": Rule("recompute --periksa", ADMIN),
    # -- page Pengguna dan batas waktu (admin)
    "settings show": Rule("settings show", BIRO),
    "settings set": Rule("settings set sesi_kedaluwarsa_menit 45", ADMIN, writes=True),
    "catalog load-ikk": Rule("catalog load-ikk {ikk}", ADMIN, writes=True),
    "catalog load-mutu": Rule("catalog load-mutu {mutu}", ADMIN, writes=True),
    "users list": Rule("users list", ADMIN),
    "users add": Rule(
        "users add baru --role analis --password-stdin", ADMIN, writes=True, stdin=PASSWORD
    ),
    "users disable": Rule("users disable kab-19.02", ADMIN, writes=True),
    "users enable": Rule("users enable kab-19.03", ADMIN, writes=True),
    "users reset-password": Rule(
        "users reset-password kab-19.02 --password-stdin", ADMIN, writes=True, stdin=PASSWORD
    ),
    "users set": Rule("users set kab-19.02 --email kab@contoh.go.id", ADMIN, writes=True),
    "deadline grant": Rule(
        "deadline grant --region 19.01 --year {year} --quarter {quarter} --until {until} "
        "--reason 'Gangguan jaringan'",
        ADMIN,
        writes=True,
    ),
    "deadline list": Rule("deadline list", BIRO),
    "deadline set": Rule(
        "deadline set --year 2025 --quarter 2 --date 2025-07-31", ADMIN, writes=True
    ),
    "deadline unset": Rule("deadline unset --year 2025 --quarter 1", ADMIN, writes=True),
    "deadline calendar": Rule("deadline calendar", ALL),  # every page shows the deadlines
    # -- page Kualitas data (the demo's outliers of 2025 TW III, one already marked)
    "pencilan daftar": Rule("pencilan daftar --year 2025 --quarter 3", BIRO),
    "pencilan tindak-lanjut": Rule("pencilan tindak-lanjut --year 2025", BIRO),
    "pencilan tandai": Rule(
        "pencilan tandai --year 2025 --quarter 3 --region 19.05 --service PEND-K-02 "
        "--measure cakupan --comment 'Konfirmasi ke dinas'",
        BIRO,
        writes=True,
    ),
    "pencilan selesai": Rule(
        "pencilan selesai --year 2025 --quarter 3 --region 19.04 --service KES-K-05 "
        "--measure sasaran --comment 'Sudah dikoreksi'",
        BIRO,
        writes=True,
    ),
    # -- page Dokumen SPM (the Biro, a kabupaten/kota its own region; the Biro reviews)
    "dokumen unggah": Rule(
        "dokumen unggah --jenis rencana-aksi --region 19.01 --year 2025 --nomor '7 Tahun 2025' "
        "--tanggal 2025-03-01 {bukti_file}",
        BIRO | {"kab"},
        writes=True,
    ),
    "dokumen daftar": Rule("dokumen daftar --year 2025", BIRO | {"kab"}, scoped=True),
    "dokumen verify": Rule("dokumen verify {dok_diajukan}", BIRO, writes=True),
    "dokumen return": Rule(
        "dokumen return {dok_diajukan} --comment 'Lampiran belum ada'", BIRO, writes=True
    ),
    "dokumen get": Rule("dokumen get {dok} --out {out}/dokumen.pdf", BIRO | {"kab"}),
    "dokumen tahapan unggah": Rule(
        "dokumen tahapan unggah --region 19.01 --year 2025 --service KES-K-01 "
        "--tahap tahap_pelaksanaan {bukti_file}",
        BIRO | {"kab"},
        writes=True,
    ),
    "dokumen tahapan daftar": Rule(
        "dokumen tahapan daftar --year 2025", BIRO | {"kab"}, scoped=True
    ),
    "dokumen tahapan get": Rule(
        "dokumen tahapan get {tahapan} --out {out}/tahap.pdf", BIRO | {"kab"}
    ),
    # -- page SPM Awards (the Biro, leaders, a kabupaten/kota its own score)
    "awards": Rule("awards --year 2025 --format csv", ALL - {"opd"}, scoped=True),
    # -- page Jejak audit; Pemeriksaan (review, reminders); Wilayah saya (own submissions)
    "audit": Rule("audit --limit 5", BIRO),
    "reminders": Rule("reminders --year 2025", BIRO),
    "review list": Rule("review list", BIRO | UPLOADERS, scoped=True),
    "review history": Rule("review history {sub}", BIRO | UPLOADERS, scoped=True),
    "review verify": Rule("review verify {diajukan}", BIRO, writes=True),
    "review return": Rule("review return {diajukan} --comment 'Periksa lagi'", BIRO, writes=True),
    "review finalise": Rule("review finalise {diverifikasi}", BIRO, writes=True),
    "review reopen": Rule(
        "review reopen {final} --reason 'Koreksi data dinas'", ADMIN, writes=True
    ),
    "review withdraw": Rule(
        "review withdraw {diajukan} --reason 'Berkas untuk wilayah yang salah'",
        ADMIN,
        writes=True,
    ),
    "review withdrawn": Rule("review withdrawn", BIRO),
    # -- pages Capaian, Kelengkapan, Telusuri Angka (everyone, scoped); LPPD (not an OPD)
    "capaian": Rule("capaian --year 2025 --triwulan 3 --format csv", ALL, scoped=True),
    "explain": Rule(
        "explain --region {wil} --year 2025 --triwulan 3 --layanan {lay}", ALL, scoped=True
    ),
    "completeness": Rule("completeness --year 2025", ALL, scoped=True),
    "lppd capaian": Rule("lppd capaian --year 2024 --format csv", ALL - {"opd"}, scoped=True),
    "lppd kelengkapan": Rule(
        "lppd kelengkapan --year 2024 --format csv", ALL - {"opd"}, scoped=True
    ),
    # -- page Unggah Data (the Biro and uploaders, each its own region/OPD)
    "template": Rule(
        "template {tpl} --year {year} --triwulan {quarter} --out {out}/t.xlsx", BIRO | UPLOADERS
    ),
    "ingest": Rule("ingest {upload}", BIRO | UPLOADERS, writes=True),
    # -- page Laporan (the Biro builds, leaders read)
    "report": Rule("report --year 2025 --triwulan 1 --out {out}/laporan", BIRO, writes=True),
    "report list": Rule("report list", BIRO | {"pimpinan"}),
    "report verify": Rule("report verify {draft}", BIRO | {"pimpinan"}),
    "report pdf": Rule("report pdf {draft} --out {out}/pdf", BIRO | {"pimpinan"}),
    "report finalise": Rule("report finalise {draft} --paksa", BIRO, writes=True),
    "report export": Rule("report export {final_report} --out {out}/ekspor", BIRO, writes=True),
    # -- page Siklus SOP (the Biro, leaders, a kabupaten/kota its own cycle); not an OPD
    "sop list": Rule("sop list", ALL - {"opd"}),
    "sop show": Rule("sop show", ALL - {"opd"}),
    "sop load": Rule("sop load {sop_file}", ADMIN, writes=True),
    "siklus start": Rule("siklus start --year {new_cycle} {cyc}", BIRO | {"kab"}, writes=True),
    "siklus show": Rule("siklus show --year {cy} {cyc}", ALL - {"opd"}, scoped=True),
    "siklus overview": Rule(
        "siklus overview --year {cy} --sop lppd-kabkota", ALL - {"opd"}, scoped=True
    ),
    "siklus reminders": Rule(
        "siklus reminders --year {cy} --sop lppd-kabkota", ALL - {"opd"}, scoped=True
    ),
    "siklus sync": Rule("siklus sync --year {cycle_year}", BIRO),  # nothing new to record
    "siklus step start": Rule(
        "siklus step start --year {cy} {cyc} {belum}", BIRO | {"kab"}, writes=True
    ),
    "siklus step finish": Rule(
        "siklus step finish --year {cy} {cyc} {jalan}", BIRO | {"kab"}, writes=True
    ),
    "siklus step revise": Rule(
        "siklus step revise --year {cy} {cyc} {jalan} --reason Lengkapi",
        BIRO | {"kab"},
        writes=True,
    ),
    "siklus step back": Rule(
        "siklus step back --year {cy} {cyc} {tunggu}", BIRO | {"kab"}, writes=True
    ),
    "siklus step assign": Rule(
        "siklus step assign --year {cy} {cyc} {jalan} Kasubbag", BIRO | {"kab"}, writes=True
    ),
    "siklus step note": Rule(  # a note is kept with its author, not in the audit trail
        "siklus step note --year {cy} {cyc} {jalan} 'Rapat selesai'", BIRO | {"kab"}
    ),
    "siklus step attach": Rule(
        "siklus step attach --year {cy} {cyc} {jalan} {bukti_file}", BIRO | {"kab"}, writes=True
    ),
    "siklus evidence list": Rule(
        "siklus evidence list --year {cy} {cyc}", ALL - {"opd"}, scoped=True
    ),
    "siklus evidence get": Rule("siklus evidence get {bukti} --out {out}/bukti", ALL - {"opd"}),
    # -- pages Standar Pelayanan, SKM (everyone; units their own), Pengaduan (everyone)
    "unit list": Rule("unit list", ALL, scoped=True),
    "unit add": Rule("unit add uptd-uji --nama 'UPTD Uji' --region 19.01", ADMIN, writes=True),
    "standar list": Rule("standar list", ALL),
    "standar show": Rule("standar show {standar}", ALL),
    "standar load": Rule("standar load {standar_file}", BIRO),
    "skm template": Rule(
        "skm template --unit {unit} --year {year} --out {out}/skm.xlsx", BIRO | UPLOADERS
    ),
    "skm ingest": Rule("skm ingest {skm_file}", BIRO | UPLOADERS, writes=True),
    "skm hasil": Rule("skm hasil --year 2025", ALL, scoped=True),
    "skm belum-survei": Rule("skm belum-survei --year 2025", ALL, scoped=True),
    "pengaduan add": Rule(
        "pengaduan add --unit {unit} --channel langsung --class pengaduan --title 'Antrean lama'",
        BIRO | UPLOADERS,
        writes=True,
    ),
    "pengaduan list": Rule("pengaduan list", ALL, scoped=True),
    "pengaduan show": Rule("pengaduan show {aduan}", ALL, scoped=True),
    "pengaduan status": Rule(
        "pengaduan status {aduan} selesai --response 'Sudah ditangani'",
        BIRO | UPLOADERS,
        writes=True,
    ),
    "pengaduan dispose": Rule("pengaduan dispose {aduan} --unit disdik", BIRO, writes=True),
    "pengaduan overdue": Rule("pengaduan overdue", ALL, scoped=True),
    "pengaduan rekap": Rule("pengaduan rekap --year {cycle_year}", ALL, scoped=True),
}


def cli_commands(group: click.Group = cli, prefix: str = "") -> set[str]:
    """Every command the parser knows, as typed (``report`` itself builds reports)."""
    found: set[str] = set()
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(command, click.Group):
            found |= cli_commands(command, path + " ")
            if command.invoke_without_command:
                found.add(path)
        else:
            found.add(path)
    return found


def test_every_command_has_a_rule():
    assert cli_commands() == set(RULES)


# -- the database every run starts from ----------------------------------------------------


@dataclass(frozen=True)
class Setup:
    db: Path
    values: dict[str, dict[str, str]]  # role -> placeholder -> value
    audit_max: int  # the newest audit entry of ``db``


def _upload(db: Database, folder: Path, form: str, region: str, opd: str | None) -> Path:
    spec = templates.TemplateSpec(form, region, YEAR, QUARTER, opd)
    blank = templates.write(db, spec, folder / f"kosong-{spec.file_name()}")
    codes = db.rows(
        "SELECT kode FROM layanan WHERE tingkat = ? AND (? IS NULL OR kode_opd = ?)",
        ["provinsi" if form == "spm-provinsi" else "kabupaten/kota", opd, opd],
    )
    return fill(blank, folder / spec.file_name(), spm_values([c[0] for c in codes]))


def _skm_csv(folder: Path, unit: str) -> Path:
    path = folder / f"skm-{unit}.csv"
    answers = ",".join(["3"] * 9)
    path.write_text(
        "kode_unit,tanggal,u1,u2,u3,u4,u5,u6,u7,u8,u9,jenis_kelamin,umur\n"
        f"{unit},{TODAY:%d/%m/%Y},{answers},P,40\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def setup(accounts_db_template, tmp_path_factory) -> Setup:
    """The demo accounts database plus what the commands act on: reports (a draft and a
    final), the Biro's and Kabupaten Bangka's LPPD cycles with evidence, files to load."""
    folder = tmp_path_factory.mktemp("as-roles")
    path = folder / "spm.duckdb"
    shutil.copy(accounts_db_template, path)
    (folder / "kosong").mkdir()
    bukti_file = folder / "notulen.pdf"
    bukti_file.write_bytes(b"%PDF-1.4 notulen rapat\n")
    sop_file = folder / "sop.yaml"
    sop_file.write_text(
        (ROOT / "data" / "sop_spm_biro_pemerintahan.yaml")
        .read_text(encoding="utf-8")
        .replace("title: Pelaksanaan Penerapan", "title: Revisi Pelaksanaan Penerapan", 1),
        encoding="utf-8",
    )
    with Database.open(path) as db:
        users.set_active(db, OPERATOR, "kab-19.03", False)  # for `users enable`
        # for `deadline unset`
        deadlines.tetapkan_batas(db, OPERATOR, tahun=2025, triwulan=1, tanggal=dt.date(2025, 4, 30))
        kab_cycle = step.ref_for(db, "lppd-kabkota", "19.01", CYCLE_YEAR + 1)
        cycle.start(db, kab_cycle, actor=OPERATOR, mulai=dt.date(CYCLE_YEAR, 11, 2))
        for code in ("A2", "A3"):
            transitions.start_step(db, kab_cycle, code, actor=OPERATOR, tanggal=TODAY)
        transitions.send_back(db, kab_cycle, "A3", actor=OPERATOR, alasan="Lengkapi")
        draft = records.generate(db, 2025, 3, by="uji").laporan["id"]
        final = records.generate(db, 2025, 2, by="uji").laporan["id"]
        records.finalise(db, final, by="uji", paksa=True)
        # a document and a tahapan file of Kabupaten Bangka with their bytes in the store
        dok = dokumen_penerapan.unggah(
            db,
            OPERATOR,
            jenis="tim",
            kode_wilayah="19.01",
            tahun=2024,
            nomor="188.45/1/KPTS/2024",
            tanggal=dt.date(2024, 1, 5),
            nama_berkas="sk.pdf",
            content=b"%PDF-1.4 sk tim\n",
        )
        tahap = dokumen_tahapan.unggah(
            db,
            OPERATOR,
            kode_wilayah="19.01",
            tahun=2024,
            kode_layanan="KES-K-01",
            tahap="tahap_pelaksanaan",
            nama_berkas="foto.png",
            content=b"\x89PNG\r\n\x1a\nfoto",
        )
        evidence_of = {}
        for who, ref in (("biro", step.ref_for(db, None, None, CYCLE_YEAR)), ("kab", kab_cycle)):
            evidence_of[who] = evidence.attach(
                db, ref, "A1", "sk.pdf", b"%PDF-1.4 sk\n", actor=OPERATOR
            )

        def sub(where: str) -> str:
            return str(
                db.scalar(f"SELECT min(id) FROM v_submission_rantai WHERE terbaru AND {where}")
            )

        def aduan(unit: str) -> str:
            return db.scalar(
                "SELECT min(nomor) FROM pengaduan WHERE kode_unit = ? AND status = 'ditindaklanjuti'",
                [unit],
            )

        shared = {
            "year": str(YEAR),
            "quarter": str(QUARTER),
            "until": str(TODAY + dt.timedelta(days=60)),
            "cycle_year": str(CYCLE_YEAR),
            "empty": str(folder / "kosong"),
            "ikk": str(ROOT / "data" / "katalog" / "ikk_sampel.csv"),
            "mutu": str(ROOT / "data" / "katalog" / "mutu_item_bawaan.csv"),
            "sop_file": str(sop_file),
            "standar_file": str(
                ROOT / "data" / "standar" / "standar_bagian_pemerintahan_balangan.csv"
            ),
            "standar": db.scalar("SELECT min(kode_layanan) FROM standar_pelayanan"),
            "bukti_file": str(bukti_file),
            "draft": str(draft),
            "final_report": str(final),
            "diajukan": sub("status = 'diajukan'"),
            "diverifikasi": sub("status = 'diverifikasi'"),
            "final": sub("status = 'final' AND kode_wilayah = '19.01'"),
            "dok": str(dok),
            "tahapan": str(tahap),
            "dok_diajukan": str(
                db.scalar("SELECT min(id) FROM dokumen_spm WHERE status = 'diajukan'")
            ),
        }
        kab_upload = _upload(db, folder, "spm-kabkota", "19.01", None)
        opd_upload = _upload(db, folder, "spm-provinsi", "19", "dinkes")
        values = {}
        for role, own in OWN.items():
            opd = role == "opd"
            values[role] = {
                **shared,
                **own,
                "sub": sub("kode_opd = 'dinkes'" if opd else "kode_wilayah = '19.01'"),
                "aduan": aduan("dinkes" if opd else "bagpem-19.01"),
                "upload": str(opd_upload if opd else kab_upload),
                "skm_file": str(_skm_csv(folder, own["unit"])),
                "bukti": str(evidence_of["kab" if role == "kab" else "biro"]),
            }
        audit_max = db.scalar("SELECT max(id) FROM audit_log")
    return Setup(path, values, audit_max)


# -- running one command -------------------------------------------------------------------


def fingerprint(path: Path) -> dict[str, int]:
    """Every table's row count and the newest audit entry: what a write would change."""
    with Database.open(path, read_only=True) as db:
        tables = [r[0] for r in db.rows("SELECT table_name FROM duckdb_tables() ORDER BY 1")]
        counts = {t: db.scalar(f'SELECT count(*) FROM "{t}"') for t in tables}
        counts["audit_log.max_id"] = db.scalar("SELECT coalesce(max(id), 0) FROM audit_log")
        counts["pengguna.aktif"] = db.scalar("SELECT count(*) FROM pengguna WHERE aktif")
    return counts


def run(setup: Setup, role: str, command: str, db: Path, out: Path):
    rule = RULES[command]
    values = {**setup.values[role], "out": str(out)}
    args = shlex.split(rule.args.format(**values))
    if rule.db:
        args += ["--db", str(db)]
    user = "nobody" if role == "nobody" else USERS[role]
    return CliRunner().invoke(cli, ["--as", user, *args], input=rule.stdin)


def assert_refused(result, command: str) -> None:
    text = result.output.strip()
    assert result.exit_code == 1, f"{command}: {result.output}"
    assert isinstance(result.exception, SystemExit), f"{command}: {result.exception!r}"
    assert "Traceback" not in text
    assert text.startswith("Galat: ") and "\n" not in text, f"{command}: {text}"
    assert text.endswith("."), text


OTHER_REGIONS = ("19.02", "19.03", "19.04", "19.05", "19.06", "19.71")
OTHER_OPDS = ("disdik", "dinsos", "pupr", "perkim", "satpolpp", "damkar", "bpbd")


def assert_own(role: str, output: str, command: str) -> None:
    """An uploader's output names no other kabupaten/kota (or, for an OPD, no other OPD)."""
    others = {"kab": OTHER_REGIONS, "opd": OTHER_REGIONS + OTHER_OPDS}.get(role, ())
    leaked = [code for code in others if code in output]
    assert not leaked, f"{command} as {role} shows {leaked}: {output[:500]}"


def copy_of(setup: Setup, folder: Path) -> Path:
    """A private copy of the database and its store (originals, evidence) in ``folder``."""
    folder.mkdir()
    shutil.copy(setup.db, folder / setup.db.name)
    if (setup.db.parent / "store").exists():
        shutil.copytree(setup.db.parent / "store", folder / "store")
    return folder / setup.db.name


def stored_files(db: Path) -> list[str]:
    return sorted(str(p.relative_to(db.parent)) for p in db.parent.rglob("*") if p.is_file())


def new_audit(db: Path, after: int) -> list[str]:
    with Database.open(db, read_only=True) as conn:
        return [r[0] for r in conn.rows("SELECT pengguna FROM audit_log WHERE id > ?", [after])]


@pytest.mark.parametrize("command", sorted(RULES))
def test_each_role_may_do_what_the_app_lets_it_and_nothing_else(setup, tmp_path, command):
    rule = RULES[command]
    shared = copy_of(setup, tmp_path / "ditolak")
    before, files = fingerprint(shared), stored_files(shared)
    for role in [*USERS, "nobody"]:
        out = tmp_path / f"keluaran-{role}"
        out.mkdir()
        if role in rule.roles:
            db = copy_of(setup, tmp_path / role)
            result = run(setup, role, command, db, out)
            assert result.exit_code == 0, f"{command} as {role}: {result.output}"
            if rule.scoped:
                assert_own(role, result.output, command)
            names = new_audit(db, setup.audit_max)  # a write is audited under the --as account
            assert set(names) <= {USERS[role]}, f"{command} as {role}: {names}"
            assert names or not rule.writes, f"{command} as {role}: not audited"
        else:
            result = run(setup, role, command, shared, out)
            assert_refused(result, f"{command} as {role}")
            assert list(out.iterdir()) == [], f"{command} as {role} wrote files"
    assert fingerprint(shared) == before, f"{command}: a refused run changed the database"
    assert stored_files(shared) == files, f"{command}: a refused run stored files"
