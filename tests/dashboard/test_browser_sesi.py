"""A login survives a browser reload (signed token in an HttpOnly cookie); logout, a
password change or a disabled account, then a reload, show the login page."""

import pytest

from pipelines.auth import users
from pipelines.auth.access import local_admin
from pipelines.auth.sessions import COOKIE
from pipelines.db.store import Database
from tests.browser import browser_page, log_in, open_page, wait_for_app

pytestmark = pytest.mark.browser


def reload_and_wait(page, text: str) -> None:
    page.reload()
    wait_for_app(page, text, timeout=60_000)


def login_cookie(page) -> dict:
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    for _ in range(50):
        found = [c for c in page.context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        page.wait_for_timeout(100)
    raise AssertionError("no login cookie")


def test_reload_keeps_the_login_and_logout_then_reload_shows_the_login_page(demo_app_url):
    url, _ = demo_app_url
    with browser_page() as page:
        log_in(page, url, "analis")
        cookie = login_cookie(page)
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        assert COOKIE not in page.evaluate("document.cookie")  # page scripts cannot read it
        open_page(page, "Peta")
        wait_for_app(page, "Peta IP-SPM kabupaten/kota")
        reload_and_wait(page, "Masuk sebagai")
        assert "analis" in page.get_by_text("Masuk sebagai").first.inner_text()
        assert page.get_by_text("Peta IP-SPM kabupaten/kota").count() == 1  # same page
        stolen = login_cookie(page)["value"]

        page.get_by_role("button", name="Keluar").click()
        wait_for_app(page, "Nama pengguna")
        reload_and_wait(page, "Nama pengguna")
        assert page.get_by_text("Masuk sebagai").count() == 0
        assert COOKIE not in [c["name"] for c in page.context.cookies()]

        # the token copied before logout opens nothing afterwards
        page.context.add_cookies([{**cookie, "value": stolen}])
        reload_and_wait(page, "Nama pengguna")
        assert page.get_by_text("Masuk sebagai").count() == 0


@pytest.mark.parametrize("change", ["password", "disable"])
def test_a_password_change_or_disabled_account_ends_the_login_at_reload(demo_app_url, change):
    url, path = demo_app_url
    username = "kab-19.03" if change == "password" else "kab-19.04"
    with browser_page() as page:
        log_in(page, url, username)
        login_cookie(page)
        reload_and_wait(page, "Masuk sebagai")
        with Database.open(path, wait_seconds=60) as db:
            if change == "password":
                users.reset_password(db, local_admin("uji"), username, "Sandi-Baru-Sekali-9")
            else:
                users.set_active(db, local_admin("uji"), username, False)
        reload_and_wait(page, "Nama pengguna")
        assert page.get_by_text("Masuk sebagai").count() == 0
