from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring and evaluation"

    def ready(self) -> None:
        # Commissioning never imports monitoring: once a partner signs, the
        # move's follower saves the partnership's schedule of reports.
        from commissioning import hooks
        from monitoring import reminders, services

        hooks.add_follower(services.on_commission_move)
        # "Report due / overdue" and "agreement expiring" for notices' daily sweep.
        reminders.register()
