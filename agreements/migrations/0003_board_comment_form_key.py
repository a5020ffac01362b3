from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0002_status_moves_through_the_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="boardcomment",
            name="form_key",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddConstraint(
            model_name="boardcomment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("form_key", ""), _negated=True),
                fields=("agreement", "author", "form_key"),
                name="one_comment_per_form",
            ),
        ),
    ]
