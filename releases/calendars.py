"""iCalendar (RFC 5545) output of public events."""

import datetime

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from .models import Event


def event_to_vevent(event: Event, base_url: str) -> icalendar.Event:
    """One event as a VEVENT: all-day dates, a UID that stays the same however it is edited."""
    vevent = icalendar.Event()
    vevent.add("uid", f"event-{event.pk}@cica-press-office")
    vevent.add("summary", event.title)
    vevent.add("dtstamp", event.updated_at)
    vevent.add("last-modified", event.updated_at)
    vevent.add("dtstart", event.start_date)
    # DTEND is exclusive for all-day events: the day after the last day.
    vevent.add("dtend", (event.last_day or event.start_date) + datetime.timedelta(days=1))
    place = ", ".join(p for p in (event.venue, event.city, event.country) if p)
    if place:
        vevent.add("location", place)
    if event.description:
        vevent.add("description", event.description)
    status = {"cancelled": "CANCELLED", "postponed": "TENTATIVE"}.get(
        event.event_status, "CONFIRMED"
    )
    vevent.add("status", status)
    vevent.add("url", base_url + event.get_absolute_url())
    return vevent


def calendar_response(events, base_url: str, filename: str) -> HttpResponse:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//CICA Secretariat//Press office//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "CICA events")
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event_to_vevent(event, base_url))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar(request):
    """All public events with a known date."""
    events = Event.objects.public().in_language(get_language()).filter(start_date__isnull=False)
    return calendar_response(events, request.build_absolute_uri("/").rstrip("/"), "cica-events.ics")


def event_calendar(request, slug):
    event = get_object_or_404(Event.objects.public().filter(start_date__isnull=False), slug=slug)
    return calendar_response([event], request.build_absolute_uri("/").rstrip("/"), f"{slug}.ics")
