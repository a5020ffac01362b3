from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partner organisations"

    def ready(self) -> None:
        # hubs never imports partners: a new policy version's list of
        # partnership types is copied, and a first policy's started, through
        # the hooks hubs offers.
        from hubs import services
        from partners.types import types_copy, types_start

        if types_copy not in services.POLICY_COPIERS:
            services.POLICY_COPIERS.append(types_copy)
        if types_start not in services.POLICY_STARTERS:
            services.POLICY_STARTERS.append(types_start)
