"""The portal's URLs plus two yardsticks through the whole middleware stack: /bench/bare/, a
Django view returning a constant (the ceiling every page is measured against), and
/api/bench-bare/, a Django REST framework view returning a constant with the API's own
authentication and rate limit: the ceiling of any API answer, what DRF and the rate limit cost
before the portal does anything (under /api/, so the page cache leaves it to DRF, as it does
the API)."""

from django.http import HttpResponse
from django.urls import path
from rest_framework.response import Response
from rest_framework.views import APIView

from cica_portal.urls import handler404, handler500
from cica_portal.urls import urlpatterns as portal_urls
from core.api.keys import ApiKeyAuthentication, KeyedRateThrottle

__all__ = ["handler404", "handler500", "urlpatterns"]


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


class BareApi(APIView):
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [KeyedRateThrottle]

    def get(self, request):
        return Response({"ok": True})


urlpatterns = [path("bench/bare/", bare), path("api/bench-bare/", BareApi.as_view()), *portal_urls]
