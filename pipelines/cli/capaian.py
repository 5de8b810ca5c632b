"""``spm capaian``, ``spm explain`` and ``spm lppd``: the computed figures on the command line.

Machine formats (csv, json) carry plain numbers with a dot as decimal separator;
``table`` is for people and uses Indonesian formatting (``1.234,56``).
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable

import click
import pandas as pd

from pipelines.auth.access import Actor
from pipelines.capaian import query
from pipelines.capaian.explain import explain
from pipelines.capaian.labels import (
    IP_SPM_PEMPROV,
    RATA_KABKOTA,
    RATA_KABKOTA_TERTIMBANG,
    VIEW_RENAME,
)
from pipelines.cli.common import quarter_option, with_db
from pipelines.core import fmt
from pipelines.db.store import Database
from pipelines.errors import SpmError

FORMATS = ["csv", "json", "table"]

# Columns of the province aggregate: its figures under the one name each has everywhere
# (pipelines.capaian.labels: the view's columns renamed), then the LPPD outputs (view
# columns, as named there).
AGREGAT_COLUMNS = [
    "kode_provinsi",
    "nama_provinsi",
    "tahun",
    "triwulan",
    RATA_KABKOTA.kolom,
    RATA_KABKOTA.kolom_kategori,
    RATA_KABKOTA_TERTIMBANG.kolom,
    RATA_KABKOTA_TERTIMBANG.kolom_kategori,
    "jumlah_kabkota",
    "jumlah_kabkota_melapor",
    IP_SPM_PEMPROV.kolom,
    IP_SPM_PEMPROV.kolom_kategori,
    "status_kabkota",
    "status_provinsi",
    "versi_setting",
]
PROYEKSI_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "tahun",
    "triwulan",
    "nilai",
    "proyeksi_nilai",
    "proyeksi_kategori",
    "status_submission",
    "versi_setting",
]
LPPD_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "tahun",
    "urusan",
    "kode_ikk",
    "cara_hitung",
    "pembilang",
    "penyebut",
    "capaian",
    "sumber_capaian",
    "satuan",
    "ada_data_dukung",
    "status_submission",
]
KELENGKAPAN_COLUMNS = [
    "kode_wilayah",
    "nama_wilayah",
    "tahun",
    "jumlah_ikk",
    "ikk_terisi",
    "ikk_dengan_data_dukung",
    "persen_terisi",
    "persen_data_dukung",
    "ada_submission",
    "status_submission",
]
# Integer-valued columns shown without decimals in the table format.
_WHOLE = {
    "tahun",
    "triwulan",
    "jumlah_sasaran",
    "jumlah_terlayani",
    "kurang_terlayani",
    "jumlah_layanan",
    "jumlah_layanan_dinilai",
    "jumlah_urusan",
    "jumlah_urusan_dinilai",
    "jumlah_kabkota",
    "jumlah_kabkota_melapor",
    "jumlah_ikk",
    "ikk_terisi",
    "ikk_dengan_data_dukung",
    "versi_setting",
    "perkiraan_biaya",
    "kekurangan_mutu_barang_jasa",
    "kekurangan_mutu_sdm",
    "proyeksi_terlayani",
}
# Shown without decimals when they are whole numbers (they may be fractions, e.g. km).
_WHOLE_IF_ROUND = {"pembilang", "penyebut"}


def _plain(value):
    """A value for JSON: None for missing, plain int/float/str otherwise."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _cell(column: str, value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if column == "tahun":
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        whole = column in _WHOLE or (column in _WHOLE_IF_ROUND and float(value).is_integer())
        return fmt.angka(value, 0 if whole else 2)
    if hasattr(value, "item"):
        return _cell(column, value.item())
    return str(value)


def render(frame: pd.DataFrame, columns: list[str], output: str) -> str:
    """The frame's ``columns`` as csv, json (plain numbers) or an Indonesian text table."""
    frame = frame[[c for c in columns if c in frame.columns]].copy()
    for column in frame.columns:  # whole numbers stay whole even where some are missing
        if column in _WHOLE and pd.api.types.is_float_dtype(frame[column]):
            frame[column] = frame[column].round().astype("Int64")
    if output == "csv":
        return frame.to_csv(index=False, lineterminator="\n")
    if output == "json":
        records = [
            {c: _plain(v) for c, v in zip(frame.columns, row, strict=True)}
            for row in frame.itertuples(index=False, name=None)
        ]
        return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    cells = [
        [_cell(c, v) for c, v in zip(frame.columns, row, strict=True)]
        for row in frame.itertuples(index=False, name=None)
    ]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(frame.columns)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and c != "tahun" for c in frame.columns]

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    out = [line(list(frame.columns)), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out) + "\n"


def _emit(frame: pd.DataFrame, columns: list[str], output: str, empty: str) -> None:
    if frame.empty and output == "table":
        click.echo(empty, err=True)
        return
    sys.stdout.write(render(frame, columns, output))


FORMAT_OPTION = click.option(
    "--format", "output", type=click.Choice(FORMATS), default="table", show_default=True
)


@click.command("capaian")
@with_db(read_only=True, actor=True)
@click.option("--year", "--tahun", "tahun", type=int, required=True, help="Tahun, mis. 2025.")
@quarter_option(help="1-4 (bawaan: semua).")
@click.option("--region", "--wilayah", "region", default=None, help="Kode wilayah, mis. 19.01.")
@click.option(
    "--province",
    "--provinsi",
    "province",
    default=None,
    help="Hanya provinsi ini dan kabupaten/kotanya, mis. 19.",
)
@click.option(
    "--level",
    "--tingkat",
    "level",
    type=click.Choice([*query.LEVELS, "provinsi", "proyeksi"]),
    default="layanan",
    show_default=True,
    help="layanan, urusan, wilayah (IP-SPM); provinsi = agregat provinsi; "
    "proyeksi = proyeksi akhir tahun IP-SPM.",
)
@FORMAT_OPTION
def capaian_cmd(
    db: Database,
    actor: Actor,
    tahun: int,
    triwulan: int | None,
    region: str | None,
    province: str | None,
    level: str,
    output: str,
) -> None:
    """Capaian SPM yang dihitung (per layanan, urusan, atau IP-SPM per wilayah)."""
    if level == "provinsi":
        frame = query.agregat_provinsi(db, tahun, triwulan, province or region, actor=actor)
        frame = frame.rename(columns=VIEW_RENAME)
        columns = AGREGAT_COLUMNS
    elif level == "proyeksi":
        if triwulan is None:
            raise SpmError("Proyeksi memerlukan --triwulan (1-4).")
        frame = query.proyeksi(db, tahun, triwulan, region, provinsi=province, actor=actor)
        columns = PROYEKSI_COLUMNS
    else:
        frame = query.capaian(db, tahun, triwulan, region, level, provinsi=province, actor=actor)
        columns = query.COLUMNS[level]
    _emit(frame, columns, output, "Tidak ada data untuk pilihan ini (belum ada kiriman).")


@click.command("explain")
@with_db(read_only=True, actor=True)
@click.option("--region", "--wilayah", "region", required=True, help="Kode wilayah, mis. 19.01.")
@click.option("--year", "--tahun", "tahun", type=int, required=True)
@quarter_option(required=True)
@click.option("--layanan", required=True, help="Kode layanan, mis. KES-K-01.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
def explain_cmd(
    db: Database,
    actor: Actor,
    region: str,
    tahun: int,
    triwulan: int,
    layanan: str,
    output: str,
) -> None:
    """Jelaskan asal satu angka: masukan, rumus dengan angkanya, dan kiriman sumbernya."""
    explanation = explain(db, region, tahun, triwulan, layanan, actor=actor)
    if output == "json":
        click.echo(json.dumps(explanation.as_dict(), ensure_ascii=False, indent=1, default=str))
    else:
        click.echo(explanation.as_text())


@click.group("lppd")
def lppd_group() -> None:
    """Capaian IKK LPPD dan kelengkapannya."""


def _lppd_command(name: str, help_text: str, read: Callable, columns: list[str]) -> click.Command:
    """``spm lppd capaian`` / ``kelengkapan``: the same filters over another reader."""

    @lppd_group.command(name, help=help_text)
    @with_db(read_only=True, actor=True)
    @click.option("--year", "--tahun", "tahun", type=int, default=None)
    @click.option("--region", "--wilayah", "region", default=None)
    @click.option("--province", "--provinsi", "province", default=None)
    @FORMAT_OPTION
    def command(
        db: Database,
        actor: Actor,
        tahun: int | None,
        region: str | None,
        province: str | None,
        output: str,
    ) -> None:
        frame = read(db, tahun, region, provinsi=province, actor=actor)
        _emit(frame, columns, output, "Tidak ada data LPPD untuk pilihan ini.")

    return command


lppd_capaian_cmd = _lppd_command(
    "capaian", "Capaian setiap IKK per wilayah dan tahun.", query.lppd_capaian, LPPD_COLUMNS
)
lppd_kelengkapan_cmd = _lppd_command(
    "kelengkapan",
    "IKK terisi dan IKK dengan data dukung per wilayah dan tahun.",
    query.lppd_kelengkapan,
    KELENGKAPAN_COLUMNS,
)
