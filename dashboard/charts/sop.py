"""Charts of the SOP cycle (page Siklus SOP; frames of ``pipelines.sop.cycle`` in,
Altair charts out).

``gantt`` draws each step's planned window and its actual one, with today's line
and late steps marked; ``performance`` shows measured against standard time per
step across cycles.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from dashboard.charts.common import dataset, lapis, selesai, tips
from pipelines.core import fmt

KEADAAN = [
    "Rencana",
    "Selesai tepat waktu",
    "Selesai terlambat",
    "Berjalan",
    "Berjalan terlambat",
    "Menunggu perbaikan",
]
WARNA = ["#c9ced6", "#2e8b57", "#c0392b", "#2f6db5", "#e67e22", "#b58a00"]


def _label(row) -> str:
    text = " ".join(str(row.aktivitas).split())
    return f"{row.kode} · {text[:48]}{'…' if len(text) > 48 else ''}"


def gantt_frame(steps: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """One row per bar: the planned window of every step and the actual one if started."""
    rows = []
    for row in steps.itertuples():
        label = _label(row)
        base = {
            "langkah": label,
            "kode": row.kode,
            "fase": row.fase,
            "urutan": f"{row.fase}{int(row.nomor):03d}",
            "aktivitas": row.aktivitas,
            "status": row.status,
            "waktu_baku": row.waktu_baku,
            "terlambat": "ya" if row.terlambat else "tidak",
            "rencana": f"{fmt.tanggal(row.rencana_mulai)} – {fmt.tanggal(row.rencana_selesai)}",
            "realisasi": (
                f"{fmt.tanggal(row.mulai)} – {fmt.tanggal(row.selesai, kosong='…')}"
                if row.mulai
                else "belum mulai"
            ),
        }
        rows.append(
            {
                **base,
                "jenis": "Rencana",
                "keadaan": "Rencana",
                "dari": row.rencana_mulai,
                "sampai": row.rencana_selesai + dt.timedelta(days=1),
            }
        )
        if row.mulai:
            end = row.selesai or max(today, row.mulai)
            if row.status == "menunggu perbaikan":
                keadaan = "Menunggu perbaikan"
            elif row.status == "selesai":
                keadaan = "Selesai terlambat" if row.terlambat else "Selesai tepat waktu"
            else:
                keadaan = "Berjalan terlambat" if row.terlambat else "Berjalan"
            rows.append(
                {
                    **base,
                    "jenis": "Realisasi",
                    "keadaan": keadaan,
                    "dari": row.mulai,
                    "sampai": end + dt.timedelta(days=1),
                }
            )
    frame = pd.DataFrame(rows)
    if not frame.empty:
        frame["dari"] = pd.to_datetime(frame["dari"])
        frame["sampai"] = pd.to_datetime(frame["sampai"])
    return frame


def gantt(steps: pd.DataFrame, today: dt.date) -> alt.LayerChart:
    """Planned (grey) against actual (coloured) per step, today's line, late steps marked."""
    data = gantt_frame(steps, today)
    order = list(dict.fromkeys(data.sort_values("urutan")["langkah"]))
    y = alt.Y("langkah:N", sort=order, title=None, axis=alt.Axis(labelLimit=360))
    tooltip = tips(
        ("kode:N", "Langkah"),
        ("aktivitas:N", "Aktivitas"),
        ("waktu_baku:N", "Waktu baku"),
        ("rencana:N", "Rencana"),
        ("realisasi:N", "Realisasi"),
        ("status:N", "Status"),
        ("terlambat:N", "Terlambat"),
    )
    bars = (
        alt.Chart(dataset(data))
        .mark_bar(cornerRadius=2)
        .encode(
            x=alt.X("dari:T", title=None, axis=alt.Axis(format="%b %Y")),
            x2=alt.X2("sampai:T"),
            y=y,
            yOffset=alt.YOffset("jenis:N", sort=["Rencana", "Realisasi"]),
            color=alt.Color(
                "keadaan:N",
                scale=alt.Scale(domain=KEADAAN, range=WARNA),
                legend=alt.Legend(title=None, orient="top", columns=3),
            ),
            tooltip=tooltip,
        )
    )
    late = data[(data["terlambat"] == "ya") & (data["jenis"] == "Rencana")]
    marks = (
        alt.Chart(dataset(late))
        .mark_text(text="▲ terlambat", align="left", dx=4, color="#c0392b", fontWeight="bold")
        .encode(x=alt.X("sampai:T"), y=y, tooltip=tooltip)
    )
    rule = (
        alt.Chart(dataset(pd.DataFrame({"hari_ini": [pd.Timestamp(today)], "teks": ["Hari ini"]})))
        .mark_rule(color="#c0392b", strokeDash=[6, 4], size=2)
        .encode(x=alt.X("hari_ini:T"), tooltip=tips(("hari_ini:T", "Hari ini")))
    )
    rule_text = (
        alt.Chart(dataset(pd.DataFrame({"hari_ini": [pd.Timestamp(today)], "teks": ["hari ini"]})))
        .mark_text(align="left", dx=3, dy=-6, color="#c0392b", baseline="bottom")
        .encode(x=alt.X("hari_ini:T"), y=alt.YValue(0), text=alt.Text("teks:N"))
    )
    chart = lapis(bars, marks, rule, rule_text, height=max(36 * len(order), 200), width="container")
    return selesai(chart)  # Indonesian month names on the time axis ("Mei 2026", "Agu 2026")


def performance(perf: pd.DataFrame) -> alt.LayerChart:
    """Measured / standard time per step and cycle; the line at 1 is the SOP's standard."""
    data = perf.assign(
        tahun=perf["tahun"].astype(str),
        persen=perf["rasio"] * 100,
        urutan=perf["fase"] + perf["nomor"].map(lambda n: f"{int(n):03d}"),
        keadaan=perf["terlambat"].map({True: "Melebihi waktu baku", False: "Dalam waktu baku"}),
    )
    order = list(dict.fromkeys(data.sort_values("urutan")["kode"]))
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("kode:N", sort=order, title="Langkah"),
            xOffset=alt.XOffset("tahun:N"),
            y=alt.Y("persen:Q", title="Waktu terukur (% waktu baku)"),
            color=alt.Color(
                "keadaan:N",
                scale=alt.Scale(
                    domain=["Dalam waktu baku", "Melebihi waktu baku"], range=["#2e8b57", "#c0392b"]
                ),
                legend=alt.Legend(title=None, orient="top"),
            ),
            tooltip=tips(
                ("tahun:N", "Siklus"),
                ("kode:N", "Langkah"),
                ("aktivitas:N", "Aktivitas"),
                ("waktu_baku:N", "Waktu baku"),
                ("hari_baku:Q", "Hari kerja baku"),
                ("hari_terukur:Q", "Hari kerja terukur"),
                ("hari_perbaikan:Q", "Hari menunggu perbaikan"),
                ("persen:Q", "% waktu baku", ".0f"),
            ),
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"y": [100]}))
        .mark_rule(color="#555", strokeDash=[4, 3])
        .encode(y=alt.Y("y:Q"))
    )
    return selesai(lapis(bars, rule, height=320, width="container"))


# -- the kabupaten/kota on one chart (page Pemantauan LPPD/LKPj) -----------------------------
# Step status colours, worst first (pipelines.sop.pantau.STATUS_LANGKAH), each also as text.
STATUS_LANGKAH_WARNA = {
    "terlambat": "#c0392b",
    "menunggu perbaikan": "#b58a00",
    "berjalan": "#2f6db5",
    "belum mulai, lewat rencana": "#f3c6c1",
    "belum mulai": "#e3e6ea",
    "selesai terlambat": "#e67e22",
    "selesai": "#2e8b57",
}
STATUS_LANGKAH_SINGKAT = {
    "terlambat": "!",
    "menunggu perbaikan": "P",
    "berjalan": "B",
    "belum mulai, lewat rencana": "",
    "belum mulai": "",
    "selesai terlambat": "S",
    "selesai": "S",
}


def posisi_kabkota(matrix: pd.DataFrame) -> alt.LayerChart:
    """Kabupaten/kota (rows) x steps (columns): where each region stands, every step
    coloured and marked by its status (from ``pipelines.sop.pantau.step_matrix``)."""
    data = matrix.assign(
        langkah=matrix["nomor"].astype(int),
        tanda=matrix["status_langkah"].map(STATUS_LANGKAH_SINGKAT),
        warna_teks=[
            "white" if s in ("terlambat", "berjalan", "selesai") else "black"
            for s in matrix["status_langkah"]
        ],
    )
    order = list(dict.fromkeys(data["nama_wilayah"]))
    base = alt.Chart(dataset(data)).encode(
        x=alt.X("langkah:O", title="Langkah", axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("nama_wilayah:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "status_langkah:N",
            title="Status langkah",
            scale=alt.Scale(
                domain=list(STATUS_LANGKAH_WARNA), range=list(STATUS_LANGKAH_WARNA.values())
            ),
            legend=alt.Legend(orient="bottom", columns=3),
        ),
        tooltip=tips(
            ("nama_wilayah:N", "Kabupaten/kota"),
            ("kode:N", "Langkah"),
            ("aktivitas:N", "Aktivitas"),
            ("status_langkah:N", "Status"),
        ),
    )
    marks = base.mark_text(fontSize=15, fontWeight="bold").encode(
        text=alt.Text("tanda:N"), color=alt.Color("warna_teks:N", scale=None)
    )
    return selesai(lapis(cells, marks, height=alt.Step(40)))
