"""SK Tim Penerapan SPM, Rencana Aksi and tahapan data dukung: upload, review and files,
through the library and ``spm dokumen``; bad input is one Indonesian sentence and
changes nothing (rows, audit trail, stored files)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipelines.auth.access import Actor, local_admin
from pipelines.cli.root import cli
from pipelines.core import settings
from pipelines.db import files
from pipelines.db.store import Database
from pipelines.errors import AccessDenied
from pipelines.ops import backup
from pipelines.sop import dokumen_penerapan as penerapan
from pipelines.sop import dokumen_tahapan as tahapan
from pipelines.sop.dokumen_berkas import DokumenError

TODAY = dt.date(2026, 3, 10)
ADMIN = local_admin("uji")
ANALIS = Actor("analis", "analis")
KAB = Actor("kab-19.01", "pengunggah_kabkota", kode_wilayah="19.01")
PDF = b"%PDF-1.4 SK Tim Penerapan SPM\n"
PNG = b"\x89PNG\r\n\x1a\nfoto kegiatan"


def upload(db: Database, actor: Actor = KAB, **changes) -> int:
    fields = {
        "jenis": "tim",
        "kode_wilayah": "19.01",
        "tahun": 2026,
        "nomor": "188.45/12/KPTS/2026",
        "tanggal": dt.date(2026, 2, 2),
        "nama_berkas": "sk_tim.pdf",
        "content": PDF,
        "today": TODAY,
        **changes,
    }
    return penerapan.unggah(db, actor, **fields)


def state(db: Database) -> tuple:
    """What a refused upload must leave as it was."""
    return (
        db.scalar("SELECT count(*) FROM dokumen_spm"),
        db.scalar("SELECT count(*) FROM dokumen_tahapan"),
        db.scalar("SELECT count(*) FROM audit_log"),
        sorted(p.name for p in files.evidence_root(db).rglob("*") if p.is_file()),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"nomor": "  "}, "Nomor SK Tim Penerapan SPM wajib diisi, sesuai nomor pada dokumennya."),
        ({"jenis": "rencana-aksi", "nomor": None}, "Nomor Perkada Rencana Aksi wajib diisi"),
        ({"tanggal": None}, "Tanggal SK Tim Penerapan SPM wajib diisi."),
        (
            {"tanggal": dt.date(2026, 3, 11)},
            "Tanggal SK Tim Penerapan SPM (11 Maret 2026) belum terjadi; tulis tanggal "
            "penetapan dokumen, paling lambat hari ini (10 Maret 2026).",
        ),
        (
            {"nama_berkas": "sk_tim.docx"},
            "Jenis berkas sk_tim.docx tidak diterima; unggah pindaian dokumen berformat PDF, "
            "JPG atau PNG.",
        ),
        ({"content": b"PK\x03\x04 bukan pdf"}, "Isi berkas sk_tim.pdf bukan PDF yang sah"),
        ({"content": b""}, "Berkas sk_tim.pdf kosong"),
        ({"kode_wilayah": "32.01"}, "Kode wilayah '32.01' bukan provinsi ini"),
        ({"tahun": 2031}, "Tahun 2031 tidak masuk akal untuk dokumen SPM"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(db, changes, message):
    before = state(db)
    with pytest.raises(DokumenError) as err:
        upload(db, **changes)
    assert str(err.value).startswith(message)
    assert state(db) == before


def test_a_file_over_the_size_limit_is_refused(db):
    settings.save(db, {"ukuran_berkas_maks_mb": 0.001}, by="uji")
    before = state(db)
    with pytest.raises(DokumenError, match="lebih besar dari batas 0.001 MB"):
        upload(db, content=PDF + b"x" * 2000)
    assert state(db) == before


def test_an_uploader_acts_for_its_own_region_only(db):
    before = state(db)
    with pytest.raises(AccessDenied):
        upload(db, kode_wilayah="19.02")
    with pytest.raises(AccessDenied):
        upload(db, Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes"))
    with pytest.raises(AccessDenied):
        upload(db, Actor("pimpinan", "pimpinan"))
    assert state(db) == before
    upload(db, ANALIS, kode_wilayah="19.02")
    upload(db)
    assert list(penerapan.daftar(db, KAB)["kode_wilayah"]) == ["19.01"]
    assert set(penerapan.daftar(db, ANALIS)["kode_wilayah"]) == {"19.01", "19.02"}
    with pytest.raises(AccessDenied):
        penerapan.daftar(db, KAB, kode_wilayah="19.02")


def test_review_like_submissions_with_audit_and_a_fixed_upload(db):
    first = upload(db)
    doc = penerapan.get(db, first)
    assert doc["status"] == "diajukan" and doc["sha256"] == files.sha256(PDF)
    with pytest.raises(AccessDenied):
        penerapan.verifikasi(db, KAB, first)
    with pytest.raises(DokumenError, match="Tuliskan alasan pengembalian dokumen"):
        penerapan.kembalikan(db, ANALIS, first, " ")
    penerapan.kembalikan(db, ANALIS, first, "Lampiran keanggotaan belum ada.")
    assert penerapan.get(db, first)["status"] == "dikembalikan"
    with pytest.raises(DokumenError, match="hanya dokumen berstatus Diajukan"):
        penerapan.verifikasi(db, ANALIS, first)
    # the region uploads the fixed decree: the new one is reviewed, the old one no more
    fixed = upload(db, content=PDF + b"lampiran\n")
    with pytest.raises(DokumenError, match="sudah diganti unggahan yang lebih baru"):
        penerapan.kembalikan(db, ANALIS, first, "Masih kurang lengkap.")
    penerapan.verifikasi(db, ANALIS, fixed)
    listed = penerapan.daftar(db, ANALIS)
    assert list(listed["id"]) == [fixed] and list(listed["status"]) == ["diverifikasi"]
    assert len(penerapan.daftar(db, ANALIS, semua=True)) == 2
    assert penerapan.kelengkapan(db, ANALIS, 2026).set_index("kode_wilayah").loc["19.01"].tolist()[
        1:
    ] == ["diverifikasi", penerapan.BELUM]
    audit = db.rows(
        "SELECT pengguna, aksi, objek FROM audit_log WHERE aksi LIKE '%dokumen%' ORDER BY id"
    )
    assert [(u, a) for u, a, _ in audit] == [
        ("kab-19.01", "unggah_dokumen_spm"),
        ("analis", "ubah_status_dokumen_spm"),
        ("kab-19.01", "unggah_dokumen_spm"),
        ("analis", "ubah_status_dokumen_spm"),
    ]
    assert audit[0][2] == f"#{first} SK Tim Penerapan SPM Kabupaten Bangka 2026"
    assert penerapan.berkas_dokumen(db, fixed, actor=KAB) == ("sk_tim.pdf", PDF + b"lampiran\n")


def test_tahapan_files(db):
    before = state(db)
    for changes, message in (
        ({"kode_layanan": "KES-P-01"}, "Kode layanan 'KES-P-01' bukan jenis pelayanan dasar"),
        ({"tahap": "tahap_5"}, "Tahap 'tahap_5' tidak dikenal"),
        ({"nama_berkas": "foto.gif"}, "Jenis berkas foto.gif tidak diterima"),
    ):
        fields = {
            "kode_wilayah": "19.01",
            "tahun": 2026,
            "kode_layanan": "KES-K-01",
            "tahap": "tahap_pelaksanaan",
            "nama_berkas": "foto.png",
            "content": PNG,
            **changes,
        }
        with pytest.raises(DokumenError, match=message):
            tahapan.unggah(db, KAB, **fields)
    assert state(db) == before
    new = tahapan.unggah(
        db,
        KAB,
        kode_wilayah="19.01",
        tahun=2026,
        kode_layanan="KES-K-01",
        tahap="tahap_pelaksanaan",
        nama_berkas="foto.png",
        content=PNG,
    )
    row = tahapan.daftar(db, KAB).iloc[0]
    assert (row["nama_tahap"], row["kode_layanan"]) == ("Tahap 4: pelaksanaan", "KES-K-01")
    assert tahapan.berkas_tahapan(db, new, actor=ANALIS) == ("foto.png", PNG)
    with pytest.raises(AccessDenied):
        tahapan.berkas_tahapan(db, new, actor=Actor("kab-19.02", "pengunggah_kabkota", "19.02"))


def test_check_knows_the_stored_documents(db):
    upload(db)
    assert backup.check(db).ok
    files.evidence_path(db, files.sha256(PDF)).unlink()
    problems = backup.check(db).problems
    assert any("dokumen Tim/Rencana Aksi SPM #1 (sk_tim.pdf" in p for p in problems), problems


def test_cli_upload_review_and_get(db, db_path: Path, tmp_path: Path):
    db.close()
    sk = tmp_path / "sk.pdf"
    sk.write_bytes(PDF)

    def run(*args: str):
        return CliRunner().invoke(cli, [*args, "--db", str(db_path)])

    no_number = run(
        "dokumen", "unggah", "--jenis", "tim", "--region", "19.01", "--year", "2025",
        "--tanggal", "2025-01-05", str(sk),
    )  # fmt: skip
    assert no_number.exit_code == 1
    assert no_number.output == (
        "Galat: Nomor SK Tim Penerapan SPM wajib diisi, sesuai nomor pada dokumennya.\n"
    )
    bad_date = run(
        "dokumen", "unggah", "--jenis", "tim", "--region", "19.01", "--year", "2025",
        "--nomor", "1/2025", "--tanggal", "5-1-2025", str(sk),
    )  # fmt: skip
    assert bad_date.output == "Galat: Tanggal '5-1-2025' tidak sah; tulis sebagai YYYY-MM-DD.\n"
    ok = run(
        "dokumen", "unggah", "--jenis", "rencana-aksi", "--region", "19.01", "--year", "2025",
        "--nomor", "Perbup 7/2025", "--tanggal", "2025-01-05", str(sk),
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    assert "Rencana Aksi (Perkada) Kabupaten Bangka 2025 tersimpan" in ok.output
    assert run("dokumen", "return", "1", "--comment", "Belum diundangkan.").exit_code == 0
    listed = run("dokumen", "daftar", "--year", "2025")
    assert "dikembalikan" in listed.output and "Belum diundangkan." in listed.output
    out = tmp_path / "kembali.pdf"
    assert run("dokumen", "get", "1", "--out", str(out)).exit_code == 0
    assert out.read_bytes() == PDF
