"""What procurement keeps: each hub's council rules (value bands, dated), the
Procurement Act's thresholds and England's bank holidays as data, and for each
commission its procurement record, the approvals of a departure from the rules,
its value history and the notices it owes."""

from procurement.models.records import (
    CommissionKind,
    CommissionProcurement,
    ContractValue,
    DepartureApproval,
    Notice,
    NoticeKind,
)
from procurement.models.rules import (
    BandApplies,
    BankHoliday,
    NoticeThreshold,
    ProcurementRoute,
    ProcurementRules,
    Regime,
    ValueBand,
    route_meets,
)

__all__ = [
    "BandApplies",
    "BankHoliday",
    "CommissionKind",
    "CommissionProcurement",
    "ContractValue",
    "DepartureApproval",
    "Notice",
    "NoticeKind",
    "NoticeThreshold",
    "ProcurementRoute",
    "ProcurementRules",
    "Regime",
    "ValueBand",
    "route_meets",
]
