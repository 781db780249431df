"""Times as the press office reads them: Astana time, with UTC for the wires."""

import datetime
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext

ASTANA = ZoneInfo("Asia/Almaty")  # Astana's zone in the tz database


def astana_and_utc(moment: datetime.datetime | None) -> str:
    """“24 November 2026, 10:00 Astana (05:00 UTC)”, in the active language (“24 ноября 2026
    г., 10:00 по Астане (05:00 UTC)”): the desk works in Astana time, wires in UTC."""
    if moment is None:
        return ""
    local = formats.date_format(timezone.localtime(moment, ASTANA), "DATETIME_FORMAT")
    utc = f"{moment.astimezone(datetime.UTC):%H:%M}"
    return gettext("%(time)s Astana (%(utc)s UTC)") % {"time": local, "utc": utc}
