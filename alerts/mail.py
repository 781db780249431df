"""The messages: multipart plain text and HTML, no remote images or tracking, the headers a
mailbox provider expects of a list (RFC 8058 one-click unsubscribe), in the reader's language."""

from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.text.dates import astana_and_utc
from releases.models import Event, Release

from . import tokens


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def link(name: str, token: str, language: str) -> str:
    with translation.override(language):
        return absolute(reverse(f"alerts:{name}", kwargs={"token": token}))


def message_id() -> str:
    return make_msgid(domain=urlsplit(settings.PUBLIC_BASE_URL).hostname or "localhost")


def build(to, subject, template, context, language, *, list_unsubscribe=None, reply_to=True):
    """One message from `template`.txt and .html, rendered in `language`."""
    with translation.override(language):
        text = render_to_string(f"alerts/mail/{template}.txt", context)
        html = render_to_string(f"alerts/mail/{template}.html", context)
    headers = {"Message-ID": message_id(), "Content-Language": language}
    if list_unsubscribe:
        headers["List-Unsubscribe"] = f"<{list_unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        # One line whatever the title holds: a line break in a header is refused by Django
        # (BadHeaderError), and the mail would fail on every try.
        subject=" ".join(str(subject).split()),
        body=text,
        to=[to],
        reply_to=[settings.ALERTS_REPLY_TO] if reply_to else None,
        headers=headers,
    )
    message.attach_alternative(html, "text/html")
    return message


def subscriber_links(subscriber) -> dict:
    token = tokens.make(subscriber, tokens.MANAGE)
    return {
        "unsubscribe_url": link("unsubscribe", token, subscriber.language),
        "preferences_url": link("preferences", token, subscriber.language),
    }


def confirmation(subscriber) -> EmailMultiAlternatives:
    token = tokens.make(subscriber, tokens.CONFIRM)
    context = {
        "confirm_url": link("confirm", token, subscriber.language),
        "hours": settings.ALERTS_CONFIRM_HOURS,
    }
    with translation.override(subscriber.language):
        subject = _("Confirm your CICA press alerts")
    return build(subscriber.email, subject, "confirm", context, subscriber.language)


def already_subscribed(subscriber) -> EmailMultiAlternatives:
    """To an address already subscribed that someone entered again: its own links, and no
    change made (the form answers the same either way)."""
    links = subscriber_links(subscriber)
    with translation.override(subscriber.language):
        subject = _("Your CICA press alerts")
    return build(
        subscriber.email,
        subject,
        "already_subscribed",
        links,
        subscriber.language,
        list_unsubscribe=links["unsubscribe_url"],
    )


def release_context(release: Release, language: str) -> dict:
    place = ", ".join(filter(None, [release.city, release.country]))
    return {
        "release": release,
        "url": absolute(release.get_absolute_url()),
        "place": place,
        "contacts": list(release.media_contacts.all()),
        "other_language": release.language != language,
        "language_name": translation.get_language_info(release.language)["name_local"],
    }


def release_alert(
    subscriber, release: Release, *, change_note=None, context=None
) -> EmailMultiAlternatives:
    """The alert for `release` (the version in the subscriber's language when there is one);
    with `change_note`, the update a publisher asked for. `context`: `release_context()`'s,
    when the caller already has it."""
    links = subscriber_links(subscriber)
    context = {
        **(context or release_context(release, subscriber.language)),
        **links,
        "change_note": change_note,
    }
    with translation.override(subscriber.language):
        subject = release.title if change_note is None else _("Update: %s") % release.title
    return build(
        subscriber.email,
        subject,
        "release",
        context,
        subscriber.language,
        list_unsubscribe=links["unsubscribe_url"],
    )


def advance_copy(copy, preview_url: str) -> EmailMultiAlternatives:
    release, journalist = copy.release, copy.journalist
    embargo = astana_and_utc(copy.embargo_until)
    context = {
        **release_context(release, journalist.language),
        "journalist": journalist,
        "embargo": embargo,
        "preview_url": preview_url,
    }
    with translation.override(journalist.language):
        subject = _("EMBARGOED UNTIL %(time)s: %(title)s") % {
            "time": embargo,
            "title": release.title,
        }
    return build(journalist.email, subject, "advance_copy", context, journalist.language)


def embargo_cancelled(copy, reason: str) -> EmailMultiAlternatives:
    release, journalist = copy.release, copy.journalist
    context = {
        "release": release,
        "journalist": journalist,
        "embargo": astana_and_utc(copy.embargo_until),
        "reason": reason,
    }
    with translation.override(journalist.language):
        subject = _("DO NOT PUBLISH: %(title)s (embargo lifted, release cancelled)") % {
            "title": release.title
        }
    return build(journalist.email, subject, "embargo_cancelled", context, journalist.language)


def accreditation(request, kind: str) -> EmailMultiAlternatives:
    """To an applicant for media accreditation: the request received, or the decision (with
    the press office's reason or question), in the applicant's language."""
    event = request.event
    version = (
        Event.objects.public()
        .filter(translation_group=event.translation_group, language=request.language)
        .first()
        or event
    )
    with translation.override(request.language):
        subjects = {
            "received": _("Accreditation request received: %(event)s"),
            "approved": _("Accreditation approved: %(event)s"),
            "refused": _("Accreditation not granted: %(event)s"),
            "more": _("Accreditation: more information needed for %(event)s"),
        }
        subject = subjects[kind] % {"event": version.title}
    context = {
        "request": request,
        "kind": kind,
        "event_title": version.title,
        "event_url": absolute(version.get_absolute_url()),
    }
    return build(request.email, subject, "accreditation", context, request.language)


def digest(subscriber, digest, releases) -> EmailMultiAlternatives:
    """One mail listing the period's releases for a digest reader, in their language."""
    links = subscriber_links(subscriber)
    items = [
        {"release": release, "url": absolute(release.get_absolute_url())} for release in releases
    ]
    with translation.override(subscriber.language):
        subject = (
            _("CICA press releases of the week")
            if digest.frequency == "weekly"
            else _("CICA press releases of the day")
        )
    context = {"items": items, "digest": digest, **links}
    return build(
        subscriber.email,
        subject,
        "digest",
        context,
        subscriber.language,
        list_unsubscribe=links["unsubscribe_url"],
    )
