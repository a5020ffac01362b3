"""The rules a commission is procured under, kept as data.

- A hub's council rules (`ProcurementRules`, e.g. "Hertfordshire County
  Council procurement process"), in force between two dates, with their value
  bands (`ValueBand`): under £5,000 one quote, £5,000 up to £25,000 three
  written quotes, £25,000 or more an open tender. A band may apply to
  contracts only, grants only, or both.
- The Procurement Act 2023's thresholds (`NoticeThreshold`), dated, including
  VAT: which applies is the one in force on the day the procurement started.
- England and Wales bank holidays (`BankHoliday`), for working days (the
  8-working-day standstill).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from hubs.models import Hub


class ProcurementRoute(models.TextChoices):
    """How a commission was (or must be) procured, from the least to the most
    open: a route meets a band's need when it is at least as open."""

    DIRECT = "direct", "Direct award (no quotes)"
    ONE_QUOTE = "one_quote", "One written quote"
    THREE_QUOTES = "three_quotes", "Three written quotes"
    OPEN_TENDER = "open_tender", "Open tender"


ROUTE_ORDER = list(ProcurementRoute.values)
QUOTES_NEEDED = {ProcurementRoute.ONE_QUOTE: 1, ProcurementRoute.THREE_QUOTES: 3}


def route_meets(taken: str, needed: str) -> bool:
    """Whether the route taken is at least as open as the route needed (three
    written quotes meet a band that asks for one; an open tender meets any)."""
    if taken not in ROUTE_ORDER or needed not in ROUTE_ORDER:
        return False
    return ROUTE_ORDER.index(taken) >= ROUTE_ORDER.index(needed)


class BandApplies(models.TextChoices):
    BOTH = "both", "Grants and contracts"
    CONTRACTS = "contract", "Contracts for services only"
    GRANTS = "grant", "Grants only"


class ProcurementRules(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="procurement_rules")
    name = models.CharField(
        "name of the rules",
        max_length=200,
        help_text="As the council names them, e.g. 'Leicestershire County Council "
        "Contract Procedure Rules'.",
    )
    effective_from = models.DateField("in force from")
    effective_to = models.DateField(
        "in force until", null=True, blank=True, help_text="Inclusive. Blank: until replaced."
    )

    class Meta:
        verbose_name = "council procurement rules"
        verbose_name_plural = "council procurement rules"
        ordering = ["hub", "-effective_from"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        low, high = self.effective_from, self.effective_to
        if low and high and high < low:
            raise ValidationError({"effective_to": "The rules must end after they begin."})
        if not (self.hub_id and low):
            return
        others = ProcurementRules.objects.filter(hub_id=self.hub_id).exclude(pk=self.pk)
        for other in others:
            if (high is None or other.effective_from <= high) and (
                other.effective_to is None or low <= other.effective_to
            ):
                raise ValidationError(
                    {"effective_from": f"{other} are in force over some of these dates."}
                )

    def band_for(self, value: Decimal, kind: str) -> ValueBand | None:
        for band in self.bands.all():
            if band.applies_to in (BandApplies.BOTH, kind) and band.covers(value):
                return band
        return None


class ValueBand(models.Model):
    rules = models.ForeignKey(ProcurementRules, on_delete=models.CASCADE, related_name="bands")
    from_value = models.DecimalField(
        "from (£)",
        max_digits=12,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text="Inclusive.",
    )
    below_value = models.DecimalField(
        "below (£)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Blank: no upper limit.",
    )
    route_needed = models.CharField(max_length=20, choices=ProcurementRoute.choices)
    applies_to = models.CharField(
        max_length=10, choices=BandApplies.choices, default=BandApplies.BOTH
    )

    class Meta:
        ordering = ["rules", "from_value", "pk"]

    def __str__(self) -> str:
        return f"{self.words}: {self.get_route_needed_display().lower()}"

    def clean(self) -> None:
        if self.below_value is not None and self.below_value <= (self.from_value or 0):
            raise ValidationError({"below_value": "The upper limit must be above the lower one."})

    def covers(self, value: Decimal) -> bool:
        return value >= self.from_value and (self.below_value is None or value < self.below_value)

    @property
    def words(self) -> str:
        from hubs.routes import money

        if self.below_value is None:
            return f"{money(self.from_value)} or more"
        if not self.from_value:
            return f"under {money(self.below_value)}"
        return f"{money(self.from_value)} up to {money(self.below_value)}"


class Regime(models.TextChoices):
    SUB_CENTRAL = "sub_central", "Sub-central authority: goods and services"
    LIGHT_TOUCH = "light_touch", "Light-touch services"
    NOTIFIABLE_BELOW = "notifiable_below", "Notifiable below-threshold contract"


class NoticeThreshold(models.Model):
    """One of the Procurement Act 2023's thresholds for a period. Amounts
    include VAT. A `notifiable_below` row is where a contract below the
    threshold starts to owe notices (£30,000 for a sub-central authority)."""

    regime = models.CharField(max_length=20, choices=Regime.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True, help_text="Inclusive.")

    class Meta:
        ordering = ["regime", "effective_from"]

    def __str__(self) -> str:
        return f"{self.get_regime_display()}: £{self.amount:,.0f} from {self.effective_from}"


class BankHoliday(models.Model):
    """A bank holiday in England and Wales: not a working day."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.name} ({self.date})"
