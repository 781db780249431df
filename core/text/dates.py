"""Times as the press office reads them: Astana time, with UTC for the wires."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

ASTANA = ZoneInfo("Asia/Almaty")  # Astana's zone in the tz database


def astana_and_utc(moment: datetime.datetime | None) -> str:
    """“24 Nov 2026, 10:00 Astana (05:00 UTC)”: the desk works in Astana time, wires in UTC."""
    if moment is None:
        return ""
    local = timezone.localtime(moment, ASTANA)
    return f"{local:%d %b %Y, %H:%M} Astana ({moment.astimezone(datetime.UTC):%H:%M} UTC)"
