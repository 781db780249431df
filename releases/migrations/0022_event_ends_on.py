"""Event.ends_on: the last day an event is on, stored so that the upcoming and past lists
compare one indexed column with today (they scanned every event through four cases of dates
and precision)."""

import calendar

from django.db import migrations, models


def last_day(event):
    """Event.last_day as of this migration (the model's property may change later)."""
    if event.end_date or event.start_date is None:
        return event.end_date
    if event.date_precision == "month":
        days = calendar.monthrange(event.start_date.year, event.start_date.month)[1]
        return event.start_date.replace(day=days)
    if event.date_precision == "year":
        return event.start_date.replace(month=12, day=31)
    return event.start_date


def fill_ends_on(apps, schema_editor):
    Event = apps.get_model("releases", "Event")
    batch = []
    for event in Event.objects.only("start_date", "end_date", "date_precision").iterator(2000):
        event.ends_on = last_day(event)
        batch.append(event)
        if len(batch) == 2000:
            Event.objects.bulk_update(batch, ["ends_on"])
            batch = []
    Event.objects.bulk_update(batch, ["ends_on"])


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0021_kind_visibility_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="ends_on",
            field=models.DateField(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="historicalevent",
            name="ends_on",
            field=models.DateField(blank=True, db_index=True, editable=False, null=True),
        ),
        migrations.RunPython(fill_ends_on, migrations.RunPython.noop),
    ]
