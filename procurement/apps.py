from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = "Procurement and transparency"

    def ready(self) -> None:
        # Commissioning sits below procurement: the award asks the council's
        # procurement rules, and the countersignature the standstill, through
        # commissioning's hooks; a move keeps the contract's notices in step.
        from commissioning import hooks
        from procurement import reminders, rules, services

        hooks.add_rule("award", rules.procurement_route_refusal)
        hooks.add_rule("countersign", rules.standstill_refusal)
        hooks.add_follower(services.follow_commission_move)
        reminders.register()
        # The thresholds and bank holidays are rows: written again after a
        # flush, where their tables are empty (procurement/standing_data.py).
        from django.db.models.signals import post_migrate

        from procurement.standing_data import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="procurement-standing")
