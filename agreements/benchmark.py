"""How long one typical agreement takes to render as a PDF.

    .venv/bin/python manage.py benchmark_agreement_pdf --runs 20

Builds Hertfordshire as the demo does, inside a transaction that is rolled
back, takes one commission from award to signature (with a board comment
and a four-instalment schedule), then renders its PDF `runs` times and
prints the mean, the fastest and the slowest. The database is left as it was.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from agreements import services as ag
from agreements.models import Agreement, Milestone, PaymentBasis
from agreements.payments import PlannedInstalment
from agreements.pdf import agreement_pdf_bytes


@dataclass
class Result:
    runs: int
    mean: float
    fastest: float
    slowest: float
    pages: int
    size: int


class _Rollback(Exception):
    pass


def typical_agreement() -> Agreement:
    from demo.data import HUBS
    from demo.management.commands.load_demo import Pipeline, build_hub

    cast = build_hub(next(spec for spec in HUBS if spec["slug"] == "herts"))
    p = Pipeline(cast)
    c = p._open("Benchmark: inclusive ensembles")
    p.identify(c)
    p.award(c)
    agreement = Agreement.objects.get(commission=c)
    quarter = Decimal(25)
    ag.schedule_save(
        agreement=agreement,
        user=cast.officer,
        basis=PaymentBasis.PERCENTAGES,
        instalments=[
            PlannedInstalment(percent=quarter, milestone=Milestone.SIGNATURE, description="Start"),
            PlannedInstalment(percent=quarter, milestone=Milestone.REPORT_ACCEPTED),
            PlannedInstalment(percent=quarter, milestone=Milestone.REPORT_ACCEPTED),
            PlannedInstalment(percent=quarter, milestone=Milestone.FINAL_EVALUATION),
        ],
    )
    ag.agreement_send_to_board(agreement=agreement, user=cast.officer)
    for member in cast.board:
        ag.board_comment_add(agreement=agreement, user=member, body="Content with this.")
    ag.agreement_close_board_comment(agreement=agreement, user=cast.officer)
    ag.agreement_approve(agreement=agreement, user=cast.approver)
    p.sign(c)
    agreement.refresh_from_db()
    return agreement


def run(runs: int = 20) -> Result:
    import io

    from pypdf import PdfReader

    timings: list[float] = []
    pdf = b""
    try:
        with transaction.atomic():
            agreement = typical_agreement()
            agreement_pdf_bytes(agreement)  # warm up fonts and templates
            for _ in range(runs):
                started = time.perf_counter()
                pdf = agreement_pdf_bytes(agreement)
                timings.append(time.perf_counter() - started)
            raise _Rollback
    except _Rollback:
        pass
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return Result(runs, statistics.mean(timings), min(timings), max(timings), pages, len(pdf))
