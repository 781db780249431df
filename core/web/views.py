"""Small views of the site itself."""

import datetime

from django.conf import settings
from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on every page, the admin's included."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


def sitemap(request, **kwargs):
    """Django's sitemap view; its only parameter is the page, `p`."""
    return django_sitemap(request, **kwargs)


sitemap.query_params = frozenset({"p"})


@require_safe
def security_txt(request):
    """/.well-known/security.txt (RFC 9116): whom to tell of a vulnerability, until when."""
    expires = settings.SECURITY_TXT_EXPIRES or (
        timezone.now().replace(microsecond=0) + datetime.timedelta(days=180)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    lines = [f"Contact: {contact}" for contact in settings.SECURITY_CONTACTS]
    lines += [
        f"Expires: {expires}",
        "Preferred-Languages: en, ru",
        f"Canonical: {settings.PUBLIC_BASE_URL}/.well-known/security.txt",
    ]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response
