from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo spans every app, so it sits above them all."""

    name = "demo"
    verbose_name = "Demo data"
