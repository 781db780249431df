"""Root URLs: the public site, the API and the editors' admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView, TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from releases.api import router
from releases.health import healthz
from releases.sitemaps import sitemaps


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on every page, the admin's included."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("i18n/", include("django.conf.urls.i18n")),
]
# The public site in each language: English at the root, Russian under /ru/.
urlpatterns += i18n_patterns(
    path("", include("contacts.urls")),
    path("", include("releases.urls")),
    prefix_default_language=False,
)

handler404 = "releases.errors.page_not_found"
handler500 = "releases.errors.server_error"
