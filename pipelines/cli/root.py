"""The ``spm`` root group: the one list of command groups and the one place where a
user error (SpmError) becomes ``Galat: <message>`` on stderr with exit code 1.

Click's own usage errors (exit code 2) are Indonesian too (:mod:`pipelines.cli.messages`,\ninstalled by the package).
"""

from __future__ import annotations

import sys
from typing import Any

import click

from pipelines.cli import (
    audit,
    capaian,
    completeness,
    deadline,
    dokumen,
    ingest,
    laporan,
    messages,
    nasional,
    ops,
    pelayanan,
    pencilan,
    pengaduan,
    review,
    setup,
    sop,
    users,
)
from pipelines.errors import SpmError


class SpmGroup(click.Group):
    """A group that shows SpmError raised anywhere below it as one plain sentence with
    exit code 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SpmError as exc:
            click.echo(f"Galat: {exc}", err=True)
            sys.exit(1)


@click.group(cls=SpmGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--as",
    "as_user",
    default=None,
    metavar="USERNAME",
    help="Bertindak sebagai akun ini (bawaan: administrator lokal).",
)
@click.pass_context
def cli(ctx: click.Context, as_user: str | None) -> None:
    """Pemantauan SPM dan LPPD untuk Biro Pemerintahan provinsi."""
    ctx.ensure_object(dict)
    ctx.obj["as_user"] = as_user  # read by common.cli_actor


COMMANDS: tuple[click.Command, ...] = (
    setup.init,
    setup.demo,
    setup.catalog,
    setup.settings_group,
    users.users_group,
    review.review_group,
    deadline.deadline_group,
    completeness.completeness_cmd,
    completeness.reminders_cmd,
    audit.audit_cmd,
    ingest.template_cmd,
    ingest.ingest_cmd,
    capaian.capaian_cmd,
    capaian.explain_cmd,
    capaian.lppd_group,
    pencilan.pencilan_group,
    dokumen.dokumen_group,
    dokumen.awards_cmd,
    laporan.report,
    sop.sop_group,
    sop.siklus_group,
    pelayanan.unit_group,
    pelayanan.standar_group,
    pelayanan.skm_group,
    pengaduan.pengaduan_group,
    ops.backup_cmd,
    ops.restore_cmd,
    ops.check_cmd,
    ops.recompute_cmd,
    nasional.nasional_cmd,
)
for command in COMMANDS:
    cli.add_command(command)
messages.metavar_indonesia(cli)
