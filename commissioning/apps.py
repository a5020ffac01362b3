from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Commissioning"

    def ready(self) -> None:
        # notices sits below commissioning, so commissioning registers its
        # reminder sources with notices' sweep.
        from commissioning import reminders

        reminders.register()
        # A joint award carries every partner on to the commission (commissioning/joint.py).
        from commissioning import hooks, joint

        hooks.add_follower(joint.commission_partners_follow)
        # hubs never imports commissioning: a new policy version copies its
        # score scale, and a hub's first policy starts with 0-5, through the
        # hooks hubs offers.
        from commissioning.scoring.scale import score_scale_copy, score_scale_start
        from hubs import services as hubs_services

        if score_scale_copy not in hubs_services.POLICY_COPIERS:
            hubs_services.POLICY_COPIERS.append(score_scale_copy)
        if score_scale_start not in hubs_services.POLICY_STARTERS:
            hubs_services.POLICY_STARTERS.append(score_scale_start)
        # partners never imports commissioning: a partner's page shows its
        # commissions, and its standing reads its partnerships, through the
        # hooks partners offers.
        from commissioning import partner_sections
        from partners import hooks as partner_hooks

        partner_hooks.add_section(partner_sections.SECTION)
        partner_hooks.add_track_record(partner_sections.completed)
        partner_hooks.add_commitments(partner_sections.live)
