"""The portal's URLs plus /bench/bare/: a Django view returning a constant through the whole
middleware stack, the ceiling every page is measured against."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare),
    path("", include("cica_portal.urls")),
]

handler404 = "releases.errors.page_not_found"
handler500 = "releases.errors.server_error"
