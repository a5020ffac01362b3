from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Partnership agreements"

    def ready(self) -> None:
        # Commissioning sits below agreements: it learns what agreements ask
        # of its moves through its hooks (commissioning/hooks.py).
        from agreements import rules, selectors, services
        from commissioning import hooks

        hooks.add_rule("send_to_board", rules.commission_needs_agreement)
        hooks.add_rule("submit_for_approval", rules.commission_needs_agreement)
        hooks.add_rule("sign", rules.commission_needs_signatures)
        hooks.add_follower(services.follow_commission_move)
        hooks.hide_move("sign")  # signing happens on the agreement's own page
        hooks.add_todo_source(selectors.agreement_todos)
