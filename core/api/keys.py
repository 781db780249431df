"""Partners' API keys: sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`, a key
raises the client's rate to its own and counts its requests per day. A keyed request sees
what the public sees (the same cached answers). A key that is wrong, expired or revoked is a
401, never silently anonymous. Every API answer says the client's limit, what is left and
when the window resets (`X-RateLimit-*`)."""

import math

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from core.models import ApiKey


def key_in(request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return None  # another scheme: not ours to judge
    return request.headers.get("X-API-Key", "").strip() or None


def keyed(request) -> bool:
    """Whether a partner's key authenticated this (DRF) request: it reads what the public reads,
    from the same cache."""
    return isinstance(request.auth, ApiKey)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        key = key_in(request)
        if key is None:
            return None
        found = ApiKey.find(key)
        if found is None:
            raise exceptions.AuthenticationFailed("Unknown, expired or revoked API key.")
        return (None, found)

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    """The schema's security schemes: the same key in either header; both optional."""

    target_class = ApiKeyAuthentication
    name = ["PartnerKey", "PartnerBearer"]

    def get_security_requirement(self, auto_schema):
        return [{name: []} for name in self.name]  # either header, not both

    def get_security_definition(self, auto_schema):
        return [
            {
                "type": "apiKey",
                "in": "header",
                "name": "X-API-Key",
                "description": "A partner's key (optional): its own rate, counted per day.",
            },
            {"type": "http", "scheme": "bearer", "description": "The same key, as a bearer."},
        ]


class KeyedRateThrottle(throttling.SimpleRateThrottle):
    """API_ANON_RATE per client address, or the key's own rate per key. Keyed requests are
    counted per day. `limit_headers()` says where the client stands."""

    scope = "api"

    def get_rate(self):
        return settings.API_ANON_RATE

    def allow_request(self, request, view):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        self.key = key
        if key is not None:
            self.rate = key.rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        allowed = super().allow_request(request, view)
        if allowed and key is not None:
            key.count_request()
        return allowed

    def get_cache_key(self, request, view):
        ident = f"key{self.key.pk}" if self.key is not None else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def limit_headers(self) -> dict:
        history = getattr(self, "history", None)
        if history is None:
            return {}
        reset = history[-1] + self.duration - self.now if history else 0
        return {
            "X-RateLimit-Limit": str(self.num_requests),
            "X-RateLimit-Remaining": str(max(self.num_requests - len(history), 0)),
            "X-RateLimit-Reset": str(max(math.ceil(reset), 0)),
        }
