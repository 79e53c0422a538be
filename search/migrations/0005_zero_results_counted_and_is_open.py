"""Zero-result searches become one row per normalised query, origin and day with a count
(merging the rows recorded one per search so far), no longer linked to who searched; and
documents say whether their question is open, for `is:unanswered` (rebuild the index, or
let `search_check --fix` refresh the stale documents)."""

from django.db import migrations, models
from django.db.models import Count, Max, Min
from django.db.models.functions import TruncDate


def merge_per_day(apps, schema_editor):
    ZeroResultSearch = apps.get_model("tanya_search", "ZeroResultSearch")
    rows = ZeroResultSearch.objects.all()
    rows.update(day=TruncDate("created_at"))
    groups = (
        rows.values("normalized", "origin", "day")
        .annotate(n=Count("pk"), first=Min("pk"), last=Max("created_at"))
        .filter(n__gt=1)
    )
    for group in groups:
        same = rows.filter(
            normalized=group["normalized"], origin=group["origin"], day=group["day"]
        )
        same.filter(pk=group["first"]).update(count=group["n"], last_seen_at=group["last"])
        same.exclude(pk=group["first"]).delete()


class Migration(migrations.Migration):
    dependencies = [("tanya_search", "0004_events_replace_the_outbox")]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="is_open",
            field=models.BooleanField(default=False),
        ),
        migrations.RemoveField(model_name="zeroresultsearch", name="user"),
        migrations.AddField(
            model_name="zeroresultsearch",
            name="count",
            field=models.PositiveIntegerField(default=1, verbose_name="times searched"),
        ),
        migrations.AddField(
            model_name="zeroresultsearch",
            name="day",
            field=models.DateField(null=True, verbose_name="day"),
        ),
        migrations.AddField(
            model_name="zeroresultsearch",
            name="last_seen_at",
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.RunPython(merge_per_day, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="zeroresultsearch",
            name="day",
            field=models.DateField(verbose_name="day"),
        ),
        migrations.AlterField(
            model_name="zeroresultsearch",
            name="normalized",
            field=models.CharField(max_length=300),
        ),
        migrations.AlterField(
            model_name="zeroresultsearch",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AddConstraint(
            model_name="zeroresultsearch",
            constraint=models.UniqueConstraint(
                fields=("normalized", "origin", "day"), name="zero_result_once_a_day"
            ),
        ),
        migrations.AddIndex(
            model_name="zeroresultsearch",
            index=models.Index(fields=["day"], name="zero_result_by_day"),
        ),
    ]
