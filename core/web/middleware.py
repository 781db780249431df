"""Content-Security-Policy for the admin; the page language taken from the URL alone; NUL
characters refused."""

import re
from urllib.parse import unquote

from django.middleware.locale import LocaleMiddleware


class AdminInlineStylesMiddleware:
    """Django admin's widgets (the autocomplete's select2, collapsible fieldsets) write inline
    `style` attributes; under the site's strict policy they break. The admin alone may apply
    inline styles; scripts stay 'self' only everywhere, and the public site keeps the strict
    policy. Listed after csp's middleware, so this runs first on the way out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return response


class UrlLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, without `Vary: Accept-Language`: the language of a page comes
    from its address only (English at the root, Russian under /ru/), never from the browser's
    preferences, so a CDN need not keep a copy per Accept-Language value."""

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if response.has_header("Vary"):
            kept = [
                v for v in re.split(r"\s*,\s*", response["Vary"]) if v.lower() != "accept-language"
            ]
            if kept:
                response["Vary"] = ", ".join(kept)
            else:
                del response["Vary"]
        return response


class RejectNulMiddleware:
    """A NUL character in an address or a query is never meaningful here, and PostgreSQL refuses
    it in any text it is asked to compare: answer 400 before any view or query sees it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if "\x00" in request.path or "\x00" in unquote(query):
            from .errors import bad_request

            return bad_request(request, "The address or query holds a NUL character.")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """No page may use the camera, the microphone or the location, nor join an interest
    cohort: `Permissions-Policy` on every answer (Django has no setting for it)."""

    POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.POLICY)
        return response
