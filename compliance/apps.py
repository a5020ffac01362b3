from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Compliance records"

    def ready(self) -> None:
        # Commissioning sits below compliance: the award and the signatures ask
        # what the policy requires through commissioning's hooks, whichever
        # route makes them (a direct award, a call's results, a renewal, the
        # admin, the API, the demo loader).
        from commissioning import hooks
        from compliance import reminders, rules

        hooks.add_rule("award", rules.award_compliance)
        hooks.add_rule("sign", rules.signature_compliance)
        hooks.add_rule("countersign", rules.signature_compliance)
        # A co-applicant's own signature, on its own page (agreements sits below).
        from agreements.joint_rules import add_co_sign_rule

        add_co_sign_rule(rules.co_signature_compliance)
        # "A record lapses within 30 days", for notices' hourly sweep.
        reminders.register()
        # hubs never imports compliance: a new policy version copies its
        # requirements through the hook hubs offers (a first policy has none).
        from compliance.requirements import requirements_copy
        from hubs import services as hubs_services

        if requirements_copy not in hubs_services.POLICY_COPIERS:
            hubs_services.POLICY_COPIERS.append(requirements_copy)
