from django.apps import AppConfig


class HubsConfig(AppConfig):
    name = "hubs"
    verbose_name = "Hubs and policy"

    def ready(self) -> None:
        # A role changed where it goes with something else (a deleted service
        # area, partner or hub) makes the cached standing be read again.
        from hubs import standing_cache

        standing_cache.connect()
