"""What oversight keeps of its own: the Hub grant allocated each year, how a
hub publishes its grants as 360Giving data, and board packs."""

from __future__ import annotations

import csv
import os
import uuid
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone

from hubs.models import Hub

# The 360Giving Data Standard 1.4.3's schema and codelists, shipped with the
# app (oversight/standards/360giving, copied from the team's shared standards
# folder) unless GIVING_STANDARD_DIR names another folder.
STANDARD_DIR = Path(
    os.environ.get(
        "GIVING_STANDARD_DIR", Path(__file__).resolve().parent / "standards" / "360giving"
    )
)
PREFIX = RegexValidator(r"^360G-[A-Za-z0-9_-]+$", "A prefix looks like 360G-kentmusic.")
CYCLE = RegexValidator(r"^\d{4}/\d{2}$", "Write the academic year as 2025/26.")


@cache
def regrant_types() -> list[tuple[str, str]]:
    """The 360Giving Regrant Type codelist (a closed list)."""
    path = STANDARD_DIR / "codelists" / "regrantType.csv"
    if not path.exists():  # the standard's folder is absent: the codes as of 1.4.3
        return [(f"FRG0{n}0", f"FRG0{n}0") for n in range(1, 8)]
    with path.open(newline="", encoding="utf-8") as f:
        return [(row["Code"], f"{row['Code']} {row['Title']}") for row in csv.DictReader(f)]


class HubAllocation(models.Model):
    """The Hub grant a hub has to commission with in one academic year. The
    year is written as a needs analysis's cycle is (2025/26): commissions count
    against the year of the needs analysis that justified them."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="allocations")
    year = models.CharField("academic year", max_length=7, validators=[CYCLE])
    amount = models.DecimalField(
        "Hub grant allocated",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    # The capital grant is allocated apart from the revenue Hub grant above
    # (Kent buys musical instruments from it); commissions' capital parts count here.
    capital_amount = models.DecimalField(
        "capital grant allocated",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["hub", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "year"], name="one_allocation_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.hub}: {self.year} £{self.amount:,.2f}"


class GivingPublisher(models.Model):
    """How a hub publishes its awards as 360Giving data. Without a row, the
    export uses the defaults below."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="giving_publisher")
    grant_prefix = models.CharField(
        "360Giving prefix",
        max_length=60,
        validators=[
            RegexValidator(r"^360G-[A-Za-z0-9_-]+$", "A prefix looks like 360G-kentmusic.")
        ],
        help_text="The prefix 360Giving issued to the HLO, for example 360G-kentmusic.",
    )
    regrant_type = models.CharField(
        "for regrant type",
        max_length=10,
        choices=regrant_types,
        default="FRG010",
        help_text="From the 360Giving Regrant Type codelist.",
    )

    class Meta:
        verbose_name = "360Giving publishing"
        verbose_name_plural = "360Giving publishing"

    def __str__(self) -> str:
        return f"{self.hub}: {self.grant_prefix}"


def default_prefix(hub: Hub) -> str:
    return f"360G-hubcommission-{hub.slug}"


class BoardPackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Could not be prepared"


def _pack_path(instance: BoardPack, filename: str) -> str:
    # Random names under private media: served only through the download view.
    return f"board-packs/{instance.hub_id}/{uuid.uuid4().hex}.pdf"


class BoardPack(models.Model):
    """A PDF for a board meeting, prepared in the background."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="board_packs")
    meeting_on = models.DateField("board meeting date")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=BoardPackStatus.choices, default=BoardPackStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=120, blank=True)
    file = models.FileField(upload_to=_pack_path, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it was last sent to the worker: a pack waiting long after this was
    # never picked up, and is sent again (oversight.services.STALE_AFTER).
    queued_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["hub", "-created_at"]
        indexes = [models.Index(fields=["hub", "-created_at"], name="boardpack_hub_created")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="boardpack_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hub} board pack for {self.meeting_on:%d %B %Y}"

    def clean(self) -> None:
        if self.status == BoardPackStatus.READY and not self.file:
            raise ValidationError("A ready board pack has its PDF.")

    @property
    def is_finished(self) -> bool:
        return self.status in (BoardPackStatus.READY, BoardPackStatus.FAILED)
