"""``spm nasional``: the national roll-up of every province's database (arguments in,
pipelines.ops.nasional calls out)."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from pipelines.cli.common import db_option, echo_table, operator_only
from pipelines.core.fmt import angka
from pipelines.db.store import default_db_path
from pipelines.errors import SpmError
from pipelines.ops import nasional
from pipelines.ops.demo import nasional as demo_nasional


@click.command("nasional")
@click.option(
    "--from",
    "--dari",
    "folder",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder berisi salinan basis data setiap provinsi (*.duckdb), dibuka hanya-baca.",
)
@click.option(
    "--demo",
    is_flag=True,
    help="Data nasional contoh: provinsi basis data ini (--db) dengan datanya sendiri, "
    "provinsi lain dari data demo nasional.",
)
@db_option("Basis data provinsi ini untuk --demo (bawaan: $SPM_DB atau data/spm.duckdb).")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Berkas data nasional (bawaan: $SPM_NASIONAL atau data/nasional.duckdb).",
)
def nasional_cmd(folder: Path | None, out: Path | None, demo: bool, db_path: Path | None) -> None:
    """Bangun data nasional (angka per provinsi, kab/kota, urusan dan periode) dari
    basis data setiap provinsi; berkas lama diganti hanya bila semuanya berhasil."""
    by = operator_only("nasional")  # reads every province's file: the server's operator
    if (folder is None) == (not demo):
        raise SpmError("Pilih salah satu: --from FOLDER (basis data setiap provinsi) atau --demo.")
    if demo:
        own = db_path or default_db_path()
        if not own.exists():
            raise SpmError(f"Basis data {own} belum ada; jalankan 'spm init' dan 'spm demo' dulu.")
        result = demo_nasional.build_demo(own, out, by=by)
    else:
        result = nasional.build(folder, out, by=by)
    if result.periode:
        (y0, q0), (y1, q1) = result.periode[0], result.periode[-1]
        span = f"{len(result.periode)} periode ({y0} TW{q0} – {y1} TW{q1})"
    else:
        span = "belum ada periode berisi data SPM"
    click.echo(
        f"Data nasional dibangun: {len(result.provinces)} provinsi, "
        f"{angka(result.kabkota)} kabupaten/kota, {span}."
    )
    click.echo(
        f"Berkas {result.path} ({angka(result.bytes / 1e6, 1)} MB) dalam "
        f"{angka(result.seconds, 1)} detik."
    )
    echo_table(
        pd.DataFrame(
            {
                "kode": p.kode_provinsi,
                "provinsi": p.nama_provinsi,
                "berkas": p.path.name,
                "pengiriman": p.submission,
                "final": p.submission_final,
                "terakhir diunggah": p.terakhir_diunggah,
                "baris SPM": p.baris_spm,
                "baris LPPD": p.baris_lppd,
            }
            for p in result.provinces
        ),
        "Tidak ada provinsi.",
    )
    for warning in result.warnings:
        click.echo(f"Peringatan: {warning}")
