"""Contract management of a partnership: the KPIs agreed with its agreement,
the values the partner reports against them in each report and the
officer's rating of each period, the risk register (per commission, and per
partnership once there is an agreement) and its reviews.

KPIs are keyed to the commission with the agreement (and its version) they
were agreed in: a later agreement of the same commission (a renewal, a
variation) carries them on until it drops one (`retired_by`), so a rating
given under the first agreement stays with the KPI it rated. Writes go
through contracts/services.py, each asking its gate in contracts/rules.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from agreements.models import Agreement
from commissioning.models import Commission
from hubs.models import Hub
from monitoring.models import Report

User = settings.AUTH_USER_MODEL
# A risk is "high" from this likelihood x impact (each 1 to 5) unless the hub
# sets its own threshold (ContractSettings): 15 is a 3 x 5 or a 4 x 4, the
# red cells of the usual five-by-five matrix.
HIGH_RISK_FROM = 15


class ContractSettings(models.Model):
    """A hub's own choices for contract management, set in the admin."""

    hub = models.OneToOneField(Hub, on_delete=models.CASCADE, related_name="contract_settings")
    high_risk_from = models.PositiveSmallIntegerField(
        "a risk is high from a score of",
        default=HIGH_RISK_FROM,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
        help_text="Likelihood times impact, each 1 to 5 (so 1 to 25). High risks are shown "
        "on the dashboard and in board packs.",
    )

    class Meta:
        verbose_name = "contract management settings"
        verbose_name_plural = "contract management settings"

    def __str__(self) -> str:
        return f"{self.hub}: contract management"


class KpiMeasure(models.Model):
    """One entry of a hub's own list of KPI measures. Without any, the
    standard list in contracts/measures.py is offered."""

    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="kpi_measures")
    key = models.SlugField(max_length=40)
    label = models.CharField(max_length=120)
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. '% satisfied'.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["hub_id", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hub", "key"], name="one_kpi_measure_per_key")
        ]

    def __str__(self) -> str:
        return self.label


class Frequency(models.TextChoices):
    EACH_REPORT = "each_report", "At each report"
    QUARTERLY = "quarterly", "Each quarter"
    TERMLY = "termly", "Each term"
    ANNUALLY = "annually", "Once a year"


class Kpi(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="kpis")
    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="kpis", help_text="Agreed in."
    )
    agreed_in_version = models.PositiveIntegerField()
    retired_by = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="retired_kpis",
        help_text="The later agreement that dropped or replaced it.",
    )
    # A variation of an agreement in force retires a KPI from its new version
    # (retired_by is then that agreement); a changed target or frequency is a
    # new KPI that `replaces` the old, which keeps its values and ratings.
    retired_in_version = models.PositiveIntegerField(null=True, blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaced_by"
    )
    measure = models.CharField(max_length=40)  # a key of the hub's list (contracts/measures.py)
    measure_label = models.CharField(max_length=120)  # as the list named it when agreed
    description = models.CharField("what is measured", max_length=300)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    unit = models.CharField(max_length=40, blank=True)
    frequency = models.CharField(max_length=20, choices=Frequency.choices)
    position = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["commission_id", "position", "pk"]
        indexes = [
            models.Index(fields=["commission", "agreement"], name="kpi_commission_agreement")
        ]

    def __str__(self) -> str:
        return f"{self.measure_label}: {self.description}"

    @property
    def target_words(self) -> str:
        unit = f" {self.unit}" if self.unit else ""
        return f"{self.target.normalize():f}{unit}"


class KpiReturn(models.Model):
    """The value a partner reports against one KPI in one report."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="kpi_returns")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="returns")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.CharField(max_length=300, blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report_id", "kpi_id"]
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="one_return_per_kpi")]
        indexes = [models.Index(fields=["kpi", "report"], name="kpi_return_by_kpi")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value}"


class Rating(models.TextChoices):
    """As the Procurement Act 2023's contract performance notices rate."""

    GOOD = "good", "Good"
    APPROACHING = "approaching", "Approaching target"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class KpiRating(models.Model):
    """The officer's rating of one KPI for the period one report covers."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="ratings")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="kpi_ratings")
    rating = models.CharField(max_length=30, choices=Rating.choices)
    note = models.CharField(max_length=300, blank=True)
    rated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField()

    class Meta:
        ordering = ["report_id", "kpi_id"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "report"], name="one_rating_per_kpi_period")
        ]
        indexes = [models.Index(fields=["report", "kpi"], name="kpi_rating_by_report")]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.get_rating_display()}"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="risks")
    # The partnership it is about, once there is an agreement.
    agreement = models.ForeignKey(
        Agreement, on_delete=models.SET_NULL, null=True, blank=True, related_name="risks"
    )
    title = models.CharField("risk", max_length=200)
    description = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField(validators=SCORE)
    impact = models.PositiveSmallIntegerField(validators=SCORE)
    owner = models.CharField(max_length=200, help_text="Who manages it.")
    mitigation = models.TextField()
    review_on = models.DateField("next review")
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["hub", "status"], name="risk_hub_status"),
            models.Index(fields=["commission", "status"], name="risk_commission_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class RiskReview(models.Model):
    """A risk looked at again (with a report, or on its review date): what
    was found, the likelihood and impact now, and the next review, or closed."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="reviews")
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="risk_reviews"
    )
    note = models.TextField()
    likelihood = models.PositiveSmallIntegerField(validators=SCORE)
    impact = models.PositiveSmallIntegerField(validators=SCORE)
    review_on = models.DateField(null=True, blank=True)
    closed = models.BooleanField(default=False)
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()

    class Meta:
        ordering = ["risk_id", "reviewed_at", "pk"]

    def __str__(self) -> str:
        return f"Review of {self.risk}"
