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
        hooks.add_rule("sign", rules.agreement_awaits_partner)
        hooks.add_rule("sign", rules.signed_on_its_page)
        hooks.add_rule("countersign", rules.partner_signed_first)
        hooks.add_rule("countersign", rules.named_signatory)
        hooks.add_rule("countersign", rules.signed_on_its_page)
        from agreements import joint_rules, joint_signing

        hooks.add_rule("countersign", joint_rules.co_applicants_signed)  # every partner signs
        hooks.add_todo_source(joint_signing.co_sign_todos)
        hooks.add_follower(services.follow_commission_move)
        from agreements import joint_follow, variations

        variations.add_follower(joint_follow.reshare_grant)  # a joint grant varied
        # Signing happens on the agreement's own signing pages.
        hooks.hide_move("sign")
        hooks.hide_move("countersign")
        hooks.add_todo_source(selectors.agreement_todos)
