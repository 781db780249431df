"""Content-Security-Policy for the admin."""


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
