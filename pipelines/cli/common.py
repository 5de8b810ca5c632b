"""What every ``spm`` command shares: the ``--db`` option, opening the database (waiting
its turn behind another process), who a command acts as (``spm --as``) and the table
people read.

Command modules import this module, never ``root``; ``root`` imports them.
"""

from __future__ import annotations

import datetime as dt
import functools
import getpass
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from pipelines.auth import access
from pipelines.auth.access import Actor
from pipelines.core import fmt
from pipelines.db.store import Database, default_db_path
from pipelines.errors import SpmError

# How long a command waits for another process to release the database file.
DEFAULT_WAIT_SECONDS = float(os.environ.get("SPM_DB_WAIT", "60"))
DB_HELP = "Berkas basis data (bawaan: $SPM_DB atau data/spm.duckdb)."

F = TypeVar("F", bound=Callable[..., Any])


# -- who acts ------------------------------------------------------------------------------


def os_user() -> str:
    """The operating-system user running the command (for the audit trail)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "tidak-diketahui"


def actor_name() -> str:
    """The CLI acts as the local administrator; audited with the OS user."""
    return f"admin-lokal ({os_user()})"


def as_user() -> str | None:
    """The account given with ``spm --as USERNAME`` (None: the local administrator)."""
    return (click.get_current_context().find_root().obj or {}).get("as_user")


def cli_actor(db: Database) -> Actor:
    """Who this command acts as: ``spm --as USERNAME ...`` (an unknown or disabled account
    is refused) or the local administrator."""
    username = as_user()
    return access.actor_for(db, username) if username else access.local_admin(os_user())


def operator_only(command: str) -> str:
    """For commands only the machine's operator runs (``spm init``, ``demo``, ``restore``,
    ``nasional``): refused with ``--as``; else the operator's name for the audit trail."""
    access.check_operator(as_user(), command)
    return actor_name()


def quarter_option(*, required: bool = False, help: str = "Triwulan 1-4.") -> Callable[[F], F]:
    """The ``--quarter``/``--triwulan`` option (1-4), handed to the command as ``triwulan``."""
    return click.option(
        "--quarter",
        "--triwulan",
        "triwulan",
        type=click.IntRange(1, 4),
        required=required,
        default=None,
        help=help,
    )


# -- the database --------------------------------------------------------------------------


def db_option(help: str = DB_HELP) -> Callable[[F], F]:
    """The ``--db FILE`` option, handed to the command as ``db_path``."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=help,
    )


def open_for_cli(db_path: Path | None, *, read_only: bool = False) -> Database:
    """Open the database (``--db``, else the default), saying on stderr when it waits
    for another process (at most ``$SPM_DB_WAIT`` seconds)."""
    path = db_path or default_db_path()

    def tell(remaining: float) -> None:
        click.echo(
            f"Basis data {path.name} sedang dipakai proses lain; menunggu giliran "
            f"(paling lama {remaining:.0f} detik)...",
            err=True,
        )

    return Database.open(path, read_only=read_only, wait_seconds=DEFAULT_WAIT_SECONDS, on_wait=tell)


def with_db(*, read_only: bool = False, actor: bool = False) -> Callable[[F], F]:
    """Add ``--db`` to a command, open the database for the command's run and hand it
    over as ``db`` (read-only for commands that only read); with ``actor=True`` also
    who the command acts as, as ``actor``. The ``--as`` account is checked for every
    command (unknown or disabled: refused), whether or not the command takes it.

    Put it right under ``@group.command(...)``, where ``--db`` is listed first.
    """

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def run(*args: Any, db_path: Path | None, **kwargs: Any) -> Any:
            with open_for_cli(db_path, read_only=read_only) as db:
                who = cli_actor(db)
                if actor:
                    kwargs["actor"] = who
                return func(*args, db=db, **kwargs)

        return db_option()(run)  # type: ignore[return-value]

    return decorate


# -- output for people ---------------------------------------------------------------------


def echo_table(frame: pd.DataFrame, empty: str) -> None:
    """Print ``frame`` as a text table with Indonesian dates and numbers, or ``empty``
    when it has no rows."""
    if frame.empty:
        click.echo(empty)
        return
    shown = frame.copy()
    for col in shown.columns:
        shown[col] = shown[col].map(_cell)
    click.echo(shown.to_string(index=False))


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str | list) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        return fmt.tanggal(ts) if ts == ts.normalize() else fmt.waktu(ts)
    if isinstance(value, dt.date):
        return fmt.tanggal(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float):
        return fmt.angka(value, 1)
    return str(value)


def iso_date(value: str | None) -> dt.date | None:
    """A ``--date YYYY-MM-DD`` option's value (None when not given)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise SpmError(f"Tanggal '{value}' tidak sah; tulis sebagai YYYY-MM-DD.") from None
