"""Joint bids: a proposal's co-applicants beside its lead partner (the
proposal's own `partner`), and the partners an award carries on to the
commission. A solo bid has no rows here and reads as it always did.

The lead's share is what the co-applicants leave: the rest of the activity
and of the Hub grant the bid asks for, so the shares always add up to 100%
and to the grant (commissioning/rules/joint.py says so when they cannot).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

from commissioning.models.core import Commission, Proposal
from partners.models import PartnerOrganisation


class ProposalPartner(models.Model):
    """A co-applicant of a joint bid, with its share of the activity (%) and
    of the Hub grant asked for (£); its own contact confirms it."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="co_applicants")
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="joint_proposals"
    )
    role_in_bid = models.CharField("what it delivers", max_length=300)
    share_of_activity = models.DecimalField(
        "share of the activity (%)", max_digits=5, decimal_places=2
    )
    share_of_budget = models.DecimalField(
        "share of the Hub grant (£)", max_digits=12, decimal_places=2
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "partner__name"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "partner"], name="one_co_applicant_each"),
        ]
        indexes = [models.Index(fields=["partner", "proposal"], name="co_applicant_partner")]

    def __str__(self) -> str:
        return f"{self.partner} with {self.proposal.partner} ({self.proposal.commission_id})"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class CommissionPartner(models.Model):
    """Every partner of a jointly awarded commission, the lead included,
    with its share: copied from the proposal at the award, and read by the
    agreement's signatories, the instalments, the register and 360Giving."""

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="joint_partners"
    )
    partner = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="joint_commissions"
    )
    is_lead = models.BooleanField(default=False)
    role_in_bid = models.CharField("what it delivers", max_length=300, blank=True)
    share_of_activity = models.DecimalField(max_digits=5, decimal_places=2)
    grant_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["commission", "-is_lead", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "partner"], name="one_commission_partner_each"
            ),
            models.UniqueConstraint(
                fields=["commission"],
                condition=models.Q(is_lead=True),
                name="one_lead_partner",
            ),
        ]
        indexes = [models.Index(fields=["partner", "commission"], name="commission_partner_of")]

    def __str__(self) -> str:
        return f"{self.partner} on {self.commission_id}{' (lead)' if self.is_lead else ''}"
