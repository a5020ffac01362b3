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
        # Agreements never imports contracts either: a variation's KPI changes
        # are judged against the book contracts hands it and applied, once
        # signed, by a follower.
        from agreements import variation_kpis
        from agreements.variations import add_follower
        from contracts.variation_follow import KpiBook, kpis_follow_variation

        variation_kpis.use_book(KpiBook())
        add_follower(kpis_follow_variation)

        from contracts import notifications

        notifications.register()
