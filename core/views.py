"""Small views of the site itself."""

from django.templatetags.static import static
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on every page, the admin's included."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")
