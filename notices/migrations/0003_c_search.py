# The activity feed's search (issue 15): a GIN index on PostgreSQL only
# (hubs.search).

from django.db import migrations

from hubs.search import AddSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0002_outbox_sending"),
    ]

    operations = [
        AddSearchIndex("notification", "notification_search", ["subject", "body"]),
    ]
