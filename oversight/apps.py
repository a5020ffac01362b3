from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "Oversight and transparency"

    def ready(self) -> None:
        # Commissioning sits below oversight: the award asks oversight's
        # allocation rule through commissioning's hooks.
        from commissioning import hooks
        from oversight import rules

        hooks.add_rule("award", rules.award_within_allocation)
        # A change of funding (revenue and capital split, or a variation) too.
        from agreements.rules_streams import add_funding_check

        add_funding_check(rules.funding_within_allocation)
