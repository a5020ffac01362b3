from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning"

    def ready(self) -> None:
        # notices sits below commissioning, so commissioning registers its
        # reminder sources with notices' sweep.
        from commissioning import reminders

        reminders.register()
