"""A commission's procurement record, and what hangs from it.

`CommissionProcurement` says whether the commission is a grant (partnership
agreement, sub-grant) or a contract for services, the route taken and its
evidence, and any departure from the council's rules with its reason. A
departure is approved by the body the commission's award route names
(`DepartureApproval`, one row a person, for the record's current round: a
changed route or reason starts a new round, so an approval is never carried
over to something it did not see).

`ContractValue` is the value history (see procurement/transparency.py for how
the Transparency Code's quarterly list reads it). `Notice` is one Procurement
Act notice a contract owes, with when it is due and, once the officer has
published it on the Central Digital Platform, when and its notice id.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from commissioning.models import AppendOnlyQuerySet, Commission
from hubs.models import Hub
from procurement.models.rules import ProcurementRoute

POUNDS = {"max_digits": 12, "decimal_places": 2}


class CommissionKind(models.TextChoices):
    GRANT = "grant", "Grant (partnership agreement or sub-grant)"
    CONTRACT = "contract", "Contract for services"


class CommissionProcurement(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    commission = models.OneToOneField(
        Commission, on_delete=models.CASCADE, related_name="procurement"
    )
    kind = models.CharField(max_length=10, choices=CommissionKind.choices)
    route_taken = models.CharField(max_length=20, choices=ProcurementRoute.choices, blank=True)
    quotes_received = models.PositiveSmallIntegerField("written quotes received", default=0)
    evidence = models.TextField(
        "evidence", blank=True, help_text="Who quoted and how much, or where the tender ran."
    )
    procurement_reference = models.CharField(
        "procurement reference", max_length=100, blank=True, help_text="The council's reference."
    )
    started_on = models.DateField(
        "procurement started on",
        help_text="The day the procurement began: the thresholds in force then apply.",
    )
    advertised_on = models.DateField(
        "advertised on", null=True, blank=True, help_text="When a contract was advertised."
    )
    light_touch = models.BooleanField(
        "light-touch services",
        default=False,
        help_text="Services under the Procurement Act's light-touch regime (education, "
        "cultural and social services).",
    )
    vat_amount = models.DecimalField(
        "VAT on the value (£)",
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        **POUNDS,
    )
    vat_not_recoverable = models.DecimalField(
        "VAT that cannot be recovered (£)",
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        **POUNDS,
    )
    supplier_is_sme = models.BooleanField(
        "the supplier is a small or medium enterprise", default=False
    )
    supplier_is_vcs = models.BooleanField(
        "the supplier is a voluntary or community sector organisation", default=False
    )
    departure_reason = models.TextField(
        "reason for departing from the rules",
        blank=True,
        help_text="Needed when the route taken is less open than the value needs.",
    )
    # The route the value needed when the departure was recorded: an approval
    # covers departing from that route, not from a stricter one.
    departure_from = models.CharField(max_length=20, choices=ProcurementRoute.choices, blank=True)
    departure_round = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "commission procurement record"
        indexes = [models.Index(fields=["hub", "kind"], name="procurement_hub_kind")]

    def __str__(self) -> str:
        return f"{self.commission_id}: {self.get_kind_display()}"

    @property
    def is_contract(self) -> bool:
        return self.kind == CommissionKind.CONTRACT


class DepartureApproval(models.Model):
    """One person's approval of a departure from the council's rules, for
    one round of the record. Written once, never changed."""

    procurement = models.ForeignKey(
        CommissionProcurement, on_delete=models.CASCADE, related_name="approvals"
    )
    round = models.PositiveIntegerField()
    body_name = models.CharField(max_length=200)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["procurement", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["procurement", "round", "actor"], name="one_departure_approval_each"
            )
        ]

    def __str__(self) -> str:
        return f"Approved by {self.actor_id} ({self.body_name})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("An approval, once recorded, is never changed.")
        super().save(*args, **kwargs)


class ContractValue(models.Model):
    """The value of a commission from a date: the first at the award, then
    each change. Append-only, so a past quarter's list can be written again."""

    procurement = models.ForeignKey(
        CommissionProcurement, on_delete=models.CASCADE, related_name="values"
    )
    value = models.DecimalField(validators=[MinValueValidator(Decimal(0))], **POUNDS)
    effective_on = models.DateField("in force from")
    reason = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["procurement", "effective_on", "pk"]

    def __str__(self) -> str:
        return f"£{self.value:,.2f} from {self.effective_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The value history is append-only; record a new value.")
        super().save(*args, **kwargs)


class NoticeKind(models.TextChoices):
    BELOW_THRESHOLD_TENDER = "below_threshold_tender", "Below-threshold tender notice"
    CONTRACT_AWARD = "contract_award", "Contract award notice"
    CONTRACT_DETAILS = "contract_details", "Contract details notice"
    CONTRACT_TERMINATION = "contract_termination", "Contract termination notice"


class Notice(models.Model):
    hub = models.ForeignKey(Hub, on_delete=models.CASCADE, related_name="+")
    procurement = models.ForeignKey(
        CommissionProcurement, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=30, choices=NoticeKind.choices)
    # Blank until what starts the clock has happened (the contract signed, say).
    due_by = models.DateField(null=True, blank=True)
    why = models.CharField(max_length=300)
    published_at = models.DateTimeField(null=True, blank=True)
    notice_id = models.CharField("notice id", max_length=100, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["procurement", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["procurement", "kind"], name="one_notice_of_each_kind")
        ]
        indexes = [
            models.Index(fields=["hub", "published_at", "due_by"], name="notice_hub_due"),
            models.Index(fields=["published_at", "due_by"], name="notice_sweep"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
