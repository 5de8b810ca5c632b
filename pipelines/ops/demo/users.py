"""The demo accounts: one per role, all with password ``demo``, in demo databases only.

``admin``, ``analis``, ``pimpinan``, ``kab-<code>`` for every kabupaten/kota of the
province served and ``opd-<code>`` for every provincial OPD; the login page lists them
(:func:`demo_logins`) only for a demo database.
"""

from __future__ import annotations

import pandas as pd

from pipelines.auth import users
from pipelines.core import reference
from pipelines.db.store import Database

DEMO_PASSWORD = "demo"


def demo_accounts(db: Database) -> list[dict]:
    """The demo accounts to create: admin, analis, pimpinan, kab-<code>, opd-<code>."""
    accounts = [
        {"username": "admin", "peran": "admin", "nama": "Administrator (demo)"},
        {"username": "analis", "peran": "analis", "nama": "Analis Biro Pemerintahan (demo)"},
        {"username": "pimpinan", "peran": "pimpinan", "nama": "Pimpinan (demo)"},
    ]
    for kode, nama in reference.kabkota(db)[["kode", "nama"]].itertuples(index=False):
        accounts.append(
            {
                "username": f"kab-{kode}",
                "peran": "pengunggah_kabkota",
                "kode_wilayah": kode,
                "nama": f"Pengunggah {nama} (demo)",
            }
        )
    for kode, nama in reference.opd(db).itertuples(index=False):
        accounts.append(
            {
                "username": f"opd-{kode}",
                "peran": "pengunggah_opd",
                "kode_opd": kode,
                "nama": f"Pengunggah {nama} (demo)",
            }
        )
    return accounts


def create_demo_accounts(db: Database, by: str = "demo") -> int:
    """Create the demo accounts (password ``demo``) in a demo database only.

    Existing accounts are left as they are. Returns how many were created.
    """
    if db.meta("demo") != "true":
        raise users.UserError(
            "Akun demo hanya dibuat di basis data demo; buat akun sungguhan dengan 'spm users add'."
        )
    created = 0
    demo_hash = users.hash_password(DEMO_PASSWORD)
    with db.transaction():
        for acc in demo_accounts(db):
            if users.exists(db, acc["username"]):
                continue
            users.create_account(
                db,
                by,
                acc["username"],
                acc["peran"],
                demo_hash,
                nama=acc.get("nama"),
                kode_wilayah=acc.get("kode_wilayah"),
                kode_opd=acc.get("kode_opd"),
            )
            created += 1
    return created


def demo_logins(db: Database) -> pd.DataFrame:
    """The demo accounts to show on the login page: only for a demo database."""
    if db.meta("demo") != "true":
        return pd.DataFrame(columns=["username", "peran", "nama"])
    names = [a["username"] for a in demo_accounts(db)]
    accounts = users.list_users(db)
    shown = accounts["aktif"] & accounts["username"].isin(names)
    return accounts.loc[shown, ["username", "peran", "nama"]].reset_index(drop=True)
