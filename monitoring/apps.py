from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Monitoring and evaluation"

    def ready(self) -> None:
        # Commissioning never imports monitoring: it learns of it through its hooks.
        from commissioning import hooks
        from monitoring import reminders, selectors, services
        from monitoring.rules.ending import final_evaluation_refusal

        # Once a partner signs, the reports fall due; once the partnership
        # ends, those still owed are closed.
        hooks.add_follower(services.on_commission_move)
        # A partnership is completed after its final evaluation is accepted.
        hooks.add_rule("complete", final_evaluation_refusal)
        # The board's comments on the to-do list, only where there is a page
        # to comment on (linked by monitoring_tags.todo_url).
        hooks.add_todo_source(selectors.board_todos)
        # A signed variation of the agreement's term re-plans the reports to come.
        from agreements.variations import add_follower
        from monitoring.variation_follow import reports_follow_variation

        add_follower(reports_follow_variation)
        # "Report due / overdue" and "agreement expiring" for notices' daily sweep.
        reminders.register()
        # hubs never imports monitoring: a new policy version copies its report
        # schedules and complaint hearers, and a hub's first policy starts
        # them, through the hooks hubs offers.
        from hubs import services as hubs_services
        from monitoring.hearers import hearers_copy, hearers_start
        from monitoring.report_schedules import schedules_copy, schedules_start

        for hooks_list, hook in (
            (hubs_services.POLICY_COPIERS, schedules_copy),
            (hubs_services.POLICY_COPIERS, hearers_copy),
            (hubs_services.POLICY_STARTERS, schedules_start),
            (hubs_services.POLICY_STARTERS, hearers_start),
        ):
            if hook not in hooks_list:
                hooks_list.append(hook)
        # A partner's page shows its reports (partners/hooks.py).
        from monitoring import partner_sections
        from partners import hooks as partner_hooks

        partner_hooks.add_section(partner_sections.SECTION)
