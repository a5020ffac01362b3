"""How long one typical agreement takes to render as a PDF.

    .venv/bin/python manage.py load_demo          # once, for the agreements
    .venv/bin/python manage.py benchmark_agreement_pdf --runs 20

Renders a signed agreement (the demo's, or the one given with --agreement)
`runs` times after one warm-up run, and reports the mean, the fastest and
the slowest. It reads the database and writes nothing.
"""

from __future__ import annotations

import io
import statistics
import time
from dataclasses import dataclass

from pypdf import PdfReader

from agreements.models import Agreement, AgreementStatus
from agreements.pdf import agreement_pdf_bytes


@dataclass
class Result:
    agreement: Agreement
    runs: int
    mean: float
    fastest: float
    slowest: float
    pages: int
    size: int


def typical_agreement(agreement_id: int | None = None) -> Agreement | None:
    """The agreement asked for, or a signed one with the most instalments."""
    agreements = Agreement.objects.select_related("commission", "commission__partner", "hub")
    if agreement_id is not None:
        return agreements.filter(pk=agreement_id).first()
    signed = agreements.filter(status=AgreementStatus.SIGNED)
    return signed.order_by("-version_number", "pk").first()


def run(runs: int = 20, agreement_id: int | None = None) -> Result:
    agreement = typical_agreement(agreement_id)
    if agreement is None:
        raise LookupError("No signed agreement to render: run manage.py load_demo first.")
    agreement_pdf_bytes(agreement)  # warm up fonts and templates
    timings = []
    pdf = b""
    for _ in range(runs):
        started = time.perf_counter()
        pdf = agreement_pdf_bytes(agreement)
        timings.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    return Result(
        agreement, runs, statistics.mean(timings), min(timings), max(timings), pages, len(pdf)
    )
