"""The mutu item rows of an SPM file (one row per item under its service's row, named by
``kode_item``; ``forms.ITEM_KEY``): checked against the catalog of mutu items in force
(``pipelines/core/mutu_item.py``) and turned into the rows of ``spm_mutu``
(``forms.MUTU_COLUMNS``). Read-only: the commit writes them with the file's rows.

An item row holds only the kebutuhan and tersedia of its kelompok, in that kelompok's
mutu columns (``mutu_barang_jasa_*`` or ``mutu_sdm_*``). A service whose kelompok the
catalog details takes that kelompok from its item rows, never from the pair on the
service's row; a kelompok the catalog does not detail keeps today's pair.
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

from pipelines.core import forms, mutu_item
from pipelines.db.store import Database
from pipelines.ingest.values import is_empty

PAIRS = {"barang_jasa": "mutu_barang_jasa", "sdm": "mutu_sdm"}
KEYS = ["kode_wilayah", "tahun", "triwulan", "kode_layanan"]


class Checker(Protocol):
    def error(self, message: str, row: int | None = None, key: str | None = None) -> None: ...


def _label(key: str) -> str:
    return next((c.label for c in forms.SPM_COLUMNS if c.key == key), key)


def is_item_row(rows: pd.DataFrame) -> pd.Series:
    """Which rows of an SPM file are mutu item rows."""
    if forms.ITEM_KEY.key not in rows.columns:
        return pd.Series(False, index=rows.index)
    return rows[forms.ITEM_KEY.key].map(lambda v: not is_empty(v))


def detailed(db: Database) -> pd.DataFrame:
    """The items of the catalog in force that detail a kelompok (not the generic B1/B2)."""
    items = mutu_item.katalog(db)
    return items[~items["kode_item"].isin(mutu_item.GENERIC.values())].reset_index(drop=True)


def split(
    db: Database, form: str, rows: pd.DataFrame, chk: Checker
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the service rows, the item rows as ``spm_mutu`` rows), every problem told on
    its row and column: an item the catalog does not list for the service, an item
    twice, a value outside its kelompok's mutu columns, an item without its service's
    row, a pair on a service row whose kelompok the catalog details."""
    columns = forms.keys(forms.MUTU_FORM)
    if form == "lppd-ikk":
        return rows, pd.DataFrame(columns=columns)
    items_here = is_item_row(rows)
    services = rows[~items_here].drop(columns=[forms.ITEM_KEY.key], errors="ignore")
    catalog = detailed(db)
    kelompok_of = {
        (r.kode_layanan, r.kode_item): r.kelompok for r in catalog.itertuples(index=False)
    }
    split_kelompok = set(zip(catalog["kode_layanan"], catalog["kelompok"], strict=True))
    with_row = set(services["kode_layanan"])
    inputs = [c.key for c in forms.SPM_COLUMNS if c.input]
    out, seen = [], {}
    for r in rows[items_here].to_dict("records"):
        code, item, row_no = r["kode_layanan"], r[forms.ITEM_KEY.key], int(r["row_no"])
        kelompok = kelompok_of.get((code, item))
        if kelompok is None:
            chk.error(
                f"Item mutu '{item}' tidak ada dalam katalog item mutu layanan {code}; "
                "gunakan templat terbaru (katalog dapat berubah) atau periksa kodenya.",
                row_no,
                forms.ITEM_KEY.key,
            )
            continue
        if (code, item) in seen:
            chk.error(
                f"Item mutu {item} layanan {code} muncul dua kali (juga di baris "
                f"{seen[(code, item)]}); hapus salah satu baris.",
                row_no,
                forms.ITEM_KEY.key,
            )
            continue
        seen[(code, item)] = row_no
        if code not in with_row:
            chk.error(
                f"Baris layanan {code} tidak ada, padahal item mutunya diisi; isi juga baris "
                "layanannya (sasaran dan terlayani).",
                row_no,
                "kode_layanan",
            )
        own = PAIRS[kelompok]
        for key in inputs:
            if key.startswith(own) or is_empty(r.get(key)):
                continue
            chk.error(
                f"Baris item mutu {item} ({mutu_item.KELOMPOK[kelompok]}) hanya berisi "
                f"kebutuhan dan tersedia kelompoknya; kosongkan sel {_label(key)}.",
                row_no,
                key,
            )
        out.append(
            {
                **{k: r[k] for k in KEYS},
                "kode_item": item,
                "kelompok": kelompok,
                "kebutuhan": r[f"{own}_kebutuhan"],
                "tersedia": r[f"{own}_tersedia"],
            }
        )
    for r in services.to_dict("records"):
        for kelompok, prefix in PAIRS.items():
            if (r["kode_layanan"], kelompok) not in split_kelompok:
                continue
            for key in (f"{prefix}_kebutuhan", f"{prefix}_tersedia"):
                if not is_empty(r.get(key)):
                    chk.error(
                        f"Layanan {r['kode_layanan']} merinci mutu "
                        f"{mutu_item.KELOMPOK[kelompok]} per item; isi kebutuhan dan tersedia "
                        "pada baris item di bawahnya, bukan pada baris layanan.",
                        int(r["row_no"]),
                        key,
                    )
    return services, pd.DataFrame(out, columns=columns)
