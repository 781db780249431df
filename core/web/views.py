"""Small views of the site itself."""

from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.templatetags.static import static
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
