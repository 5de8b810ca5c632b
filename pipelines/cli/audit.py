"""``spm audit``: the latest entries of the audit trail (administrators and analysts)."""

from __future__ import annotations

import click

from pipelines.auth import audit
from pipelines.auth.access import Actor
from pipelines.cli.common import echo_table, with_db
from pipelines.db.store import Database


@click.command("audit")
@with_db(read_only=True, actor=True)
@click.option("--user", "--pengguna", "pengguna", default=None)
@click.option(
    "--action", "--aksi", "aksi", default=None, help="Jenis kegiatan, mis. login atau ubah_status."
)
@click.option("--limit", type=int, default=50, show_default=True)
def audit_cmd(
    db: Database, actor: Actor, pengguna: str | None, aksi: str | None, limit: int
) -> None:
    """Jejak audit terbaru: siapa, kapan, apa, sebelum dan sesudah."""
    frame = audit.log(db, pengguna=pengguna, aksi=aksi, batas=limit, actor=actor)
    echo_table(frame, "Jejak audit masih kosong.")
