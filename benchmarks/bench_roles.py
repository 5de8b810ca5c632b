"""Roles: login (argon2 + audit), completeness, review queue and detail on the Babel demo."""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import median_seconds
from pipelines import review
from pipelines.auth import users
from pipelines.auth.access import Actor
from pipelines.capaian import completeness
from pipelines.core import reference
from pipelines.db.store import Database
from pipelines.ops.demo import loader as demo
from pipelines.ops.demo import review as demo_review
from pipelines.ops.demo import users as demo_users


def run(report) -> None:
    analis = Actor("analis", "analis")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "babel.duckdb"
        with Database.open(path) as db:
            reference.init_reference(db, by="bench")
            demo.load(db, scale="babel", seed=7)
            report(
                "demo accounts + review history (18 accounts, argon2), 1 run",
                median_seconds(
                    lambda: (
                        demo_review.seed_demo_history(db),
                        demo_users.create_demo_accounts(db),
                    ),
                    repeat=1,
                ),
                "s",
            )
            report(
                "login with password (argon2 verify + audit row), median of 5",
                median_seconds(lambda: users.authenticate(db, "analis", "demo")),
                "s",
            )
        with Database.open(path, read_only=True) as db:
            report(
                "kelengkapan 2025 (all forms, 60 expected reports), median of 5",
                median_seconds(lambda: completeness.kelengkapan(db, 2025)),
                "s",
            )
            report(
                "kelengkapan all years per wilayah (ringkasan), median of 5",
                median_seconds(lambda: completeness.ringkasan_kelengkapan(db, None)),
                "s",
            )
            report(
                "review queue (Diajukan), median of 5",
                median_seconds(lambda: review.antrean(db, analis)),
                "s",
            )
            sid = int(review.antrean(db, analis, ("final",))["submission_id"].iloc[-1])

            def detail() -> None:
                review.riwayat(db, sid)
                review.komentar(db, sid)
                review.banding(db, sid)
                review.durasi(db, sid)

            report("review detail of one submission, median of 5", median_seconds(detail), "s")
            report(
                "durasi_proses for every report of 2025, 1 run",
                median_seconds(lambda: review.durasi_proses(db, 2025), repeat=1),
                "s",
            )
