"""Root URLs: the public site in each language, the API and the editors' admin."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from contacts import api as contacts_api
from contacts.sitemaps import SITEMAPS as CONTACT_SITEMAPS
from core.api.viewsets import build_router
from core.web.health import healthz
from core.web.views import FaviconView, security_txt, sitemap
from editorial.views import admin_language
from releases import api as releases_api
from releases.sitemaps import SITEMAPS as RELEASE_SITEMAPS

router = build_router(releases_api.ROUTES, contacts_api.ROUTES)
sitemaps = {**RELEASE_SITEMAPS, **CONTACT_SITEMAPS}

# The workspace's forms take the whole width; the dashboard and breadcrumbs lead everywhere.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path(".well-known/security.txt", security_txt, name="security-txt"),
    path("admin/language/", admin.site.admin_view(admin_language), name="admin-language"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/v1/", include(router.urls)),
    # The same for everyone until the next deploy: shared caches and compression may take it.
    path(
        "api/schema/",
        cache_control(public=True, max_age=300)(SpectacularAPIView.as_view()),
        name="schema",
    ),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("library.urls")),
]
# The public site in each language: English at the root, Russian under /ru/.
urlpatterns += i18n_patterns(
    path("", include("contacts.urls")),
    path("", include("releases.urls")),
    path("", include("alerts.urls")),
    prefix_default_language=False,
)

handler404 = "core.web.errors.page_not_found"
handler500 = "core.web.errors.server_error"
