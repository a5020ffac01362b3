from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = "Notifications and reminders"

    def ready(self) -> None:
        # notices.services renews the unread count for what it writes in bulk;
        # a notification saved any other way does the same.
        from django.db.models.signals import post_save

        from hubs import standing_cache
        from notices.models import Notification

        def renew(sender, instance, **kwargs) -> None:
            standing_cache.renew([standing_cache.notices(instance.user_id)])

        post_save.connect(renew, sender=Notification, weak=False, dispatch_uid="unread-count")
