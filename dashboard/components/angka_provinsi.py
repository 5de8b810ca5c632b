"""The province's figures side by side, each under its one name (pipelines.capaian.labels),
with its kategori and a visible marker while the data behind it is not yet verified.
Used by Ringkasan, Capaian and the Laporan preview, so the three pages name and mark
the same numbers the same way."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from pipelines.capaian.labels import (
    IP_SPM_PEMPROV,
    RATA_KABKOTA,
    RATA_KABKOTA_TERTIMBANG,
    Angka,
)
from pipelines.capaian.status_data import StatusData
from pipelines.core import fmt

TANDA = ":material/warning:"


@dataclass(frozen=True)
class Tampil:
    """One figure as shown: its name, value, kategori and what to say under it."""

    angka: Angka
    nilai: float | None
    kategori: str | None
    keterangan: str | None = None  # e.g. '5 dari 7 kabupaten/kota melapor'
    delta: str | None = None
    belum: str | None = None  # '1 dari 5 kabupaten/kota belum diverifikasi'


def tampilan(
    pemprov: tuple[float | None, str | None],
    rata: tuple[float | None, str | None],
    tertimbang: tuple[float | None, str | None],
    status: StatusData,
    *,
    melapor: str | None = None,
    delta_rata: str | None = None,
) -> list[Tampil]:
    """The three figures in the order leaders read them: the mean of the kabupaten/kota
    (the headline), its sasaran-weighted variant, and the Pemerintah Provinsi's own."""
    return [
        Tampil(RATA_KABKOTA, *rata, melapor, delta_rata, status.singkat_kabkota()),
        Tampil(RATA_KABKOTA_TERTIMBANG, *tertimbang, None, None, status.singkat_kabkota()),
        Tampil(IP_SPM_PEMPROV, *pemprov, None, None, status.singkat_provinsi()),
    ]


def baris_angka(items: list[Tampil], status: StatusData) -> None:
    """The figures in columns; under them, when any data is not yet verified, one
    warning naming who has not been verified."""
    for col, item in zip(st.columns(len(items)), items, strict=True):
        # The name is written out in full above the number (a metric's own label is cut
        # to one line, and these names are the point).
        col.markdown(f"**{item.angka.nama}**", help=f"{item.angka.nama} = {item.angka.rumus}.")
        col.metric(
            item.angka.nama,
            fmt.angka(item.nilai, 2),
            delta=item.delta,
            label_visibility="collapsed",
        )
        col.markdown(item.kategori or "–")
        if item.keterangan:
            col.caption(item.keterangan)
        if item.belum:
            col.caption(f"{TANDA} {item.belum}")
    kalimat = status.kalimat()
    if kalimat:
        st.warning(
            f"Angka belum final: {kalimat} Angka dapat berubah sampai data itu diverifikasi.",
            icon=TANDA,
        )


def angka_ringkasan(prov, status: StatusData, **kwargs) -> None:
    """:func:`baris_angka` of the dashboards' province figures
    (:class:`pipelines.capaian.dashboards.IpSpmProvinsi`); ``kwargs`` go to :func:`tampilan`."""
    baris_angka(
        tampilan(
            (prov.nilai_layanan_provinsi, prov.kategori_layanan_provinsi),
            (prov.nilai, prov.kategori),
            (prov.nilai_tertimbang, prov.kategori_tertimbang),
            status,
            **kwargs,
        ),
        status,
    )
