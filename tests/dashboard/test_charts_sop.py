"""The SOP cycle's charts on their own: frames of pipelines.sop.cycle in, Altair out."""

import datetime as dt

from dashboard.charts import sop as sop_charts
from pipelines.sop import cycle, performance

TODAY = dt.date(2026, 11, 20)


def test_charts_are_built_without_streamlit(demo_db):
    frame = cycle.steps(demo_db, 2026, today=TODAY)
    data = sop_charts.gantt_frame(frame, TODAY)
    assert set(data["jenis"]) == {"Rencana", "Realisasi"}
    assert len(data[data["jenis"] == "Rencana"]) == 15
    assert "Menunggu perbaikan" in set(data["keadaan"])
    spec = sop_charts.gantt(frame, TODAY).to_dict()
    assert len(spec["layer"]) == 4
    perf_spec = sop_charts.performance(performance.across_cycles(demo_db, today=TODAY)).to_dict()
    assert perf_spec["layer"][0]["mark"]["type"] == "bar"


def test_gantt_months_are_indonesian(demo_db):
    import re

    import vl_convert as vlc

    spec = sop_charts.gantt(cycle.steps(demo_db, 2026, today=TODAY), TODAY).to_dict()
    spec["width"] = 1200  # "container" has no width outside a page
    svg = vlc.vegalite_to_svg(spec)
    labels = set(re.findall(r">([A-Z][a-z]{2}) (20\d\d)<", svg))
    months = {m for m, _ in labels}
    assert months & {"Mei", "Agu", "Okt", "Des"}, labels
    assert not months & {"May", "Aug", "Oct", "Dec"}, labels
