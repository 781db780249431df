"""Old addresses keep working: a request that would get the 404 page gets a 301 to where the
content is now, if a `Redirect` names its address.

An address is kept as its *key*: the path without a trailing slash, and the query parameters
sorted (without tracking parameters), host ignored. So `https://s-cica.org/speeches_detail/?id=12`
and `/speeches_detail?id=12` are one address, and the old sites' `index.php?view=page&t=...&id=N`
addresses keep their query. Redirects come from the old sites (`import_redirects`), from editors
(the admin), and from a public item's renamed slug (`watch_addresses()`, by the apps).
"""

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db.models import F
from django.db.models.signals import post_save, pre_save
from django.http import HttpResponsePermanentRedirect
from django.utils import timezone
from django.utils.translation import gettext

MAX_LENGTH = 500
MAX_HOPS = 5
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|yclid|mc_cid|mc_eid|_ga)$")


def address_key(address: str) -> str:
    """The key of an address (absolute URL or path): path without trailing slash, sorted query."""
    address = (address or "").strip()
    if not address:
        raise ValueError(gettext("The address is empty."))
    parts = urlsplit(address if "://" in address or address.startswith("/") else "/" + address)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ValueError(gettext("Only http and https addresses can be redirected."))
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    query = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING.match(name)
    ]
    key = path + ("?" + urlencode(sorted(query)) if query else "")
    if len(key) > MAX_LENGTH:
        raise ValueError(
            gettext("The address is longer than %(max)d characters.") % {"max": MAX_LENGTH}
        )
    return key


def target_path(address: str) -> str:
    """Where a redirect leads: a path on this site (an absolute URL is cut to its path)."""
    address = (address or "").strip()
    parts = urlsplit(address)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ValueError(gettext("The new address must be a path on this site."))
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(gettext("The new address must be a path on this site, starting with /."))
    if len(path) > MAX_LENGTH:
        raise ValueError(
            gettext("The address is longer than %(max)d characters.") % {"max": MAX_LENGTH}
        )
    return path


def find(path_and_query: str):
    """The redirect for this address, following chains (A → B → C) to the last; None if none."""
    from .models import Redirect

    try:
        key = address_key(path_and_query)
    except ValueError:
        return None, None
    first = Redirect.objects.filter(old_path=key).only("pk", "new_path").first()
    if first is None:
        return None, None
    target, seen = first.new_path, {key}
    for _ in range(MAX_HOPS):
        next_key = address_key(target)
        if next_key in seen:
            break
        seen.add(next_key)
        further = Redirect.objects.filter(old_path=next_key).values_list("new_path", flat=True)
        further = further.first()
        if further is None:
            break
        target = further
    return first, target


class OldAddressMiddleware:
    """A 404 for an address a redirect names becomes a 301 to its new address (counted)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if request.path.startswith(("/api/", "/admin/", "/static/")):
            return response
        redirect, target = find(request.get_full_path())
        if redirect is None or address_key(target) == address_key(request.get_full_path()):
            return response
        from .models import Redirect

        Redirect.objects.filter(pk=redirect.pk).update(
            hits=F("hits") + 1, last_hit_at=timezone.now()
        )
        return HttpResponsePermanentRedirect(target)


def remember(old_url: str, new_url: str, source: str) -> None:
    """`old_url` now leads to `new_url`; redirects that led to `old_url` lead there too."""
    from .models import Redirect

    old_key, new_path = address_key(old_url), target_path(new_url)
    if old_key == address_key(new_path):
        return
    Redirect.objects.filter(new_path=old_url).update(new_path=new_path)
    Redirect.objects.filter(old_path=address_key(new_path)).delete()  # the address is live again
    Redirect.objects.update_or_create(
        old_path=old_key, defaults={"new_path": new_path, "source": source}
    )


def _shown_publicly(model, pk) -> bool:
    manager = model._default_manager
    visible = getattr(manager, "addressable", None) or getattr(manager, "public", None)
    return visible is not None and visible().filter(pk=pk).exists()


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._old_address = None
    if raw or instance.pk is None or (update_fields is not None and "slug" not in update_fields):
        return
    old_slug = sender._default_manager.filter(pk=instance.pk).values_list("slug", flat=True)
    old_slug = old_slug.first()
    if old_slug is None or old_slug == instance.slug or not _shown_publicly(sender, instance.pk):
        return
    new_slug, instance.slug = instance.slug, old_slug
    try:
        instance._old_address = instance.get_absolute_url()
    finally:
        instance.slug = new_slug


def _after_save(sender, instance, raw=False, **kwargs):
    old = getattr(instance, "_old_address", None)
    if old:
        from .models import Redirect

        # In the rename's own transaction: both happen, or neither.
        remember(old, instance.get_absolute_url(), Redirect.Source.RENAMED)


def watch_addresses(*models) -> None:
    """A public row of `models` whose slug changes leaves a redirect from its old address."""
    for model in models:
        uid = f"redirects-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
