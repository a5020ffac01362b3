# Indexes for the lists' filters, sorts and search (issue 15). The search
# indexes are GIN indexes over the same vector hubs.search builds (for
# commissions, over a stored column of it), made on PostgreSQL only and kept
# out of the model state (see AddSearchIndex).

from django.db import migrations, models

from hubs.search import AddSearchIndex, AddStoredSearchVector


class Migration(migrations.Migration):
    dependencies = [
        ("commissioning", "0011_d_draft_version"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="commission",
            index=models.Index(fields=["hub", "service_category"], name="commission_hub_category"),
        ),
        migrations.AddIndex(
            model_name="commission",
            index=models.Index(fields=["hub", "hub_grant_amount"], name="commission_hub_grant"),
        ),
        migrations.AddIndex(
            model_name="commission",
            index=models.Index(fields=["hub", "title"], name="commission_hub_title"),
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(fields=["call", "status"], name="proposal_call_status"),
        ),
        # The list that matters most ranks a whole hub's matches: a stored vector.
        AddStoredSearchVector(
            "commission", "commission_search", ["title", "description", "reference"]
        ),
        AddSearchIndex("needsanalysis", "analysis_search", ["title", "summary"]),
        AddSearchIndex("call", "call_search", ["title", "summary"]),
        AddSearchIndex("proposal", "proposal_search", ["title", "summary"]),
    ]
