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
