"""404 and 500 answers: JSON in the API's error shape under /api/, pages in the site's layout elsewhere."""

from django.http import HttpResponseBadRequest, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader


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
    if request.path.startswith("/api/"):
        return _api_error(
            500, "server_error", "Something went wrong on our side; it has been logged."
        )
    # No request context: the page must render even when what failed was a context processor.
    return HttpResponseServerError(loader.get_template("500.html").render())
