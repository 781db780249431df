"""400, 404, 500 and 503 answers: JSON in the API's error shape under /api/, pages in the site's
layout elsewhere."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language

RETRY_AFTER_SECONDS = 30


def _api_error(status: int, code: str, detail: str) -> JsonResponse:
    return JsonResponse(
        {"status": status, "code": code, "detail": detail, "errors": {}}, status=status
    )


def bad_request(request, detail: str = "Bad request."):
    if request.path.startswith("/api/"):
        return _api_error(400, "invalid", detail)
    return HttpResponseBadRequest(detail, content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return _api_error(404, "not_found", "No such address in the API; see /api/docs/.")
    return render(request, "404.html", status=404)


def server_error(request):
    """500, or 503 with Retry-After when what failed is the database connection (an outage: the
    client should come back, and a CDN may keep serving what it holds)."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    if request.path.startswith("/api/"):
        return _api_error(
            500, "server_error", "Something went wrong on our side; it has been logged."
        )
    return HttpResponseServerError(_page("500.html"))


def service_unavailable(request):
    if request.path.startswith("/api/"):
        response = _api_error(
            503, "unavailable", "The database cannot be reached just now; try again shortly."
        )
    else:
        response = HttpResponse(_page("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _page(template: str) -> str:
    # No request context: the page must render even when what failed was a context processor
    # (or the database). The language is what the URL chose.
    return loader.get_template(template).render({"LANGUAGE_CODE": get_language()})
