from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "contracts"
    verbose_name = "Contract management"

    def ready(self) -> None:
        # Monitoring never imports contracts: a report goes in only with a
        # value for each KPI in force, through the check monitoring offers.
        from contracts.rules import kpi_values_missing
        from monitoring.rules.reports import SUBMISSION_CHECKS

        if kpi_values_missing not in SUBMISSION_CHECKS:
            SUBMISSION_CHECKS.append(kpi_values_missing)
