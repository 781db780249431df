"""The portal's URLs plus /bench/bare/: a Django view returning a constant through the whole
middleware stack, the ceiling every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from cica_portal.urls import handler404, handler500
from cica_portal.urls import urlpatterns as portal_urls

__all__ = ["handler404", "handler500", "urlpatterns"]


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *portal_urls]
