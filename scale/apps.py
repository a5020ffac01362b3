from django.apps import AppConfig


class ScaleConfig(AppConfig):
    """National-scale data, the benchmark's helpers and the load test."""

    name = "scale"
    verbose_name = "Scale and resilience"
