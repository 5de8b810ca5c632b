"""The app and roles (AppTest through the entry file): login, wrong password, session
expiry, logout, disabled accounts, and for every role one page it may use and one it
may not; an uploader sees only its own region."""

import time

import pytest

from pipelines import review
from pipelines.auth import audit, users
from pipelines.auth.access import Actor
from pipelines.db.store import Database
from tests.apptest import run_app, texts

ADMIN = Actor("admin", "admin")
ANALIS = Actor("analis", "analis")
PIMPINAN = Actor("pimpinan", "pimpinan")
KAB = Actor("kab-19.02", "pengunggah_kabkota", kode_wilayah="19.02")
OPD = Actor("opd-dinkes", "pengunggah_opd", kode_opd="dinkes")


def everything(at) -> str:
    """All visible text incl. tables and inputs' values, for leak checks."""
    parts = [texts(at)]
    for table in list(at.table) + list(at.dataframe):
        parts.append(table.value.to_csv())
    for box in at.text_input:
        parts.append(str(box.value))
    return "\n".join(parts)


def log_in(at, username: str, password: str):
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def test_login_page_lists_demo_accounts_and_logs_in(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, actor=None)
    assert not at.exception
    assert "Masuk" in texts(at)
    demo = at.dataframe[0].value
    assert {"admin", "analis", "pimpinan", "kab-19.01", "opd-dinkes"} <= set(demo["Nama pengguna"])
    assert "IP-SPM" not in texts(at)  # nothing of the data before login
    at = log_in(at, "kab-19.02", "demo")
    assert not at.exception and not at.error
    assert at.session_state["actor"] == KAB
    assert "Masuk sebagai **kab-19.02" in texts(at)
    with Database.open(accounts_db_path, read_only=True) as db:
        assert "kab-19.02" in set(audit.log(db, aksi="login")["pengguna"])


def test_wrong_password_is_refused_and_never_shown(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, actor=None)
    at = log_in(at, "analis", "Tebakan-Rahasia-42")
    assert [e.value for e in at.error] == ["Nama pengguna atau kata sandi salah."]
    assert "actor" not in at.session_state
    shown = texts(at)
    assert "Tebakan-Rahasia-42" not in shown and "argon2" not in shown
    with Database.open(accounts_db_path, read_only=True) as db:
        text = audit.log(db).to_csv()
    assert "Tebakan-Rahasia-42" not in text and "$argon2" not in text


def test_no_demo_accounts_on_a_real_database(db, db_path):
    users.add_user(db, Actor("root", "admin"), "analis", "analis", "Sandi-Kuat-123")
    db.close()
    at = run_app(db_path, actor=None)
    assert not at.exception
    assert len(at.dataframe) == 0 and "Akun demo" not in texts(at)
    at = log_in(at, "analis", "Sandi-Kuat-123")
    assert at.session_state["actor"] == ANALIS


def test_idle_session_expires(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, actor=ANALIS)
    assert "Masuk sebagai **analis" in texts(at)
    at.session_state["terakhir_aktif"] = time.time() - 61 * 60  # default: 60 minutes
    at.run()
    assert "actor" not in at.session_state
    assert "Sesi Anda berakhir" in texts(at)
    with Database.open(accounts_db_path, read_only=True) as db:
        assert len(audit.log(db, aksi="sesi_berakhir")) == 1


def test_logout(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, actor=PIMPINAN)
    at.button(key="keluar").click()
    at.run()
    assert "actor" not in at.session_state
    assert "Anda telah keluar" in texts(at)
    with Database.open(accounts_db_path, read_only=True) as db:
        assert "pimpinan" in set(audit.log(db, aksi="logout")["pengguna"])


def test_disabled_account_is_dropped_on_the_next_run(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, actor=KAB)
    assert "Wilayah saya" in texts(at) or "Masuk sebagai" in texts(at)
    with Database.open(accounts_db_path) as db:
        users.set_active(db, ADMIN, "kab-19.02", False)
    at.run()
    assert "actor" not in at.session_state
    assert "dinonaktifkan" in texts(at)


# -- one thing each role may do and one it may not --------------------------------------


def test_admin_may_add_a_user_but_not_disable_itself(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "pengguna.py", actor=ADMIN)
    assert not at.exception and "Pengguna dan batas waktu" in texts(at)
    form_inputs = {t.label: t for t in at.text_input}
    form_inputs["Nama pengguna"].input("budi.analis")
    form_inputs["Kata sandi"].input("Sandi-Budi-2025")
    form_inputs["Ulangi kata sandi"].input("Sandi-Budi-2025")
    role_box = next(s for s in at.selectbox if s.label == "Peran")
    role_box.set_value("analis")
    next(b for b in at.button if b.label == "Tambah pengguna").click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    assert "Akun budi.analis dibuat." in texts(at)
    assert "Sandi-Budi-2025" not in texts(at)
    with Database.open(accounts_db_path) as db:
        assert users.authenticate(db, "budi.analis", "Sandi-Budi-2025").role == "analis"
    at.selectbox(key="akun_dipilih").set_value("admin")
    at.run()
    at.button(key="nonaktifkan").click()
    at.run()
    assert "tidak dapat menonaktifkan akunnya sendiri" in " ".join(e.value for e in at.error)


def test_analis_may_verify_but_not_manage_users(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=ANALIS)
    assert not at.exception and "Pemeriksaan pengiriman" in texts(at)
    chosen = at.selectbox(key="pemeriksaan_pilih").value
    at.button(key="verifikasi").click()
    at.run()
    assert f"Pengiriman #{chosen} diverifikasi." in texts(at)
    with Database.open(accounts_db_path, read_only=True) as db:
        assert review.get(db, chosen)["status"] == "diverifikasi"
    at = run_app(accounts_db_path, "pengguna.py", actor=ANALIS)
    assert "Pengguna dan batas waktu" not in texts(at)
    assert not any(b.label == "Tambah pengguna" for b in at.button)


def test_analis_sends_back_with_a_comment_and_the_uploader_reads_it(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=ANALIS)
    chosen = at.selectbox(key="pemeriksaan_pilih").value
    with Database.open(accounts_db_path, read_only=True) as db:
        region = review.get(db, chosen)["kode_wilayah"]
    at.text_area(key="alasan_kembali").input("Jumlah sasaran PAUD turun tajam; mohon dicek.")
    at.button(key="kembalikan").click()
    at.run()
    assert f"Pengiriman #{chosen} dikembalikan ke pengunggah." in texts(at)
    uploader = Actor(f"kab-{region}", "pengunggah_kabkota", kode_wilayah=region)
    at = run_app(accounts_db_path, "wilayah_saya.py", actor=uploader)
    assert not at.exception
    assert "Jumlah sasaran PAUD turun tajam; mohon dicek." in texts(at)


def test_pimpinan_may_read_all_regions_but_not_review(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "beranda.py", actor=PIMPINAN)  # leaders land on Ringkasan
    assert not at.exception
    assert len(at.table[0].value) == 8  # the province and its 7 kabupaten/kota
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=PIMPINAN)
    assert "Pemeriksaan pengiriman" not in texts(at)
    assert not any(b.label == "Verifikasi" for b in at.button)


def test_kabkota_uploader_sees_only_its_region_and_cannot_review(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "beranda.py", actor=KAB)
    assert not at.exception
    assert list(at.table[0].value.index) == ["19.02"]
    at = run_app(accounts_db_path, "wilayah_saya.py", actor=KAB)
    assert not at.exception and "Kabupaten Belitung (19.02)" in texts(at)
    assert "Bangka Tengah" not in everything(at)
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=KAB)
    assert "Pemeriksaan pengiriman" not in texts(at)


def test_opd_uploader_sees_its_services_and_not_the_audit(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "wilayah_saya.py", actor=OPD)
    assert not at.exception and "Dinas Kesehatan" in texts(at)
    table = at.table[0].value
    assert set(table.index) == {"SPM provinsi"}
    at = run_app(accounts_db_path, "jejak_audit.py", actor=OPD)
    assert "Jejak audit" not in texts(at)


@pytest.mark.parametrize("actor", [ADMIN, ANALIS])
def test_audit_page_shows_logins_and_status_changes(accounts_db_path, actor):  # noqa: F811
    with Database.open(accounts_db_path) as db:
        users.authenticate(db, "analis", "demo")
        sid = int(review.antrean(db, ANALIS)["submission_id"].iloc[0])
        review.verifikasi(db, ANALIS, sid)
    at = run_app(accounts_db_path, "jejak_audit.py", actor=actor)
    assert not at.exception
    table = at.dataframe[0].value
    assert {"Masuk", "Perubahan status", "Tambah pengguna"} <= set(table["Kegiatan"])
    row = table[table["Kegiatan"] == "Perubahan status"].iloc[0]
    assert row["Sebelum"] == "status: diajukan" and row["Sesudah"] == "status: diverifikasi"
    assert "$argon2" not in table.to_csv()


def test_uploader_downloads_the_template_of_a_missing_period(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "wilayah_saya.py", actor=KAB)
    assert not at.exception
    at.button(key="wilayah_saya_tpl_make").click()
    at.run()
    assert not at.exception and not at.error
    assert at.session_state["wilayah_saya_tpl_bytes"][0].kode_wilayah == "19.02"
    assert any(p.label == "Buka halaman Unggah Data" for p in at.get("page_link"))


def test_admin_shortens_the_session_and_it_applies(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "pengguna.py", actor=ADMIN)
    box = next(n for n in at.number_input if n.label.startswith("Sesi berakhir"))
    box.set_value(15)
    next(b for b in at.button if b.label == "Simpan pengaturan").click()
    at.run()
    assert "Pengaturan disimpan" in texts(at)
    at = run_app(accounts_db_path, actor=ANALIS)
    at.session_state["terakhir_aktif"] = time.time() - 16 * 60
    at.run()
    assert "actor" not in at.session_state and "15 menit" in texts(at)


def test_reminder_list_on_the_review_page(accounts_db_path):  # noqa: F811
    at = run_app(accounts_db_path, "pemeriksaan.py", actor=ANALIS)
    assert not at.exception
    reminder = at.dataframe[0].value
    assert {"belum dikirim", "dikembalikan, menunggu perbaikan"} <= set(reminder["Keterangan"])
    assert "kab-19.01" in set(reminder["Akun"])
