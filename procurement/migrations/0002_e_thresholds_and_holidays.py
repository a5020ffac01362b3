"""The Procurement Act's thresholds and England's bank holidays, as data
(procurement/standing_data.py)."""

from django.db import migrations

from procurement.standing_data import ensure


def load(apps, schema_editor):
    ensure(apps.get_model("procurement", "NoticeThreshold"), apps.get_model("procurement", "BankHoliday"))


def unload(apps, schema_editor):
    apps.get_model("procurement", "NoticeThreshold").objects.all().delete()
    apps.get_model("procurement", "BankHoliday").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_e_procurement")]
    operations = [migrations.RunPython(load, unload)]
