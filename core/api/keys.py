"""Partners' API keys: sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`, a key
raises the client's rate to its own and counts its requests per day. A keyed request sees
what the public sees (the same cached answers). A key that is wrong, expired or revoked is a
401, never silently anonymous. Every API answer says the client's limit, what is left and
when the window resets (`X-RateLimit-*`)."""

import math
import time

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, throttling

from core.caching.redis import count
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


class KeyedRateThrottle(throttling.BaseThrottle):
    """API_ANON_RATE per client address, or the key's own rate per key, in fixed windows (as
    GitHub's API counts): one counter per client and window, incremented in the cache, so a
    request costs the same whatever the rate (DRF's SimpleRateThrottle keeps, reads and writes
    back every request's time in the window: 6,000 of them for a key allowed 6000/hour).
    Keyed requests are also counted per day. `limit_headers()` says where the client stands."""

    PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

    @classmethod
    def parse_rate(cls, rate: str) -> tuple[int, int]:
        """The rate as (requests, seconds): 600/minute is (600, 60)."""
        number, _, period = rate.partition("/")
        return int(number), cls.PERIODS[period[:1]]

    def allow_request(self, request, view):
        key = request.auth if isinstance(request.auth, ApiKey) else None
        self.limit, self.duration = self.parse_rate(key.rate if key else settings.API_ANON_RATE)
        ident = f"key{key.pk}" if key is not None else self.get_ident(request)
        self.now = time.time()
        window = int(self.now // self.duration)
        self.reset_at = (window + 1) * self.duration
        counter = f"throttle:api:{ident}:{self.duration}:{window}"
        self.count = count(counter, self.duration + 1)
        allowed = self.count <= self.limit
        if allowed and key is not None:
            key.count_request()
        return allowed

    def wait(self):
        return max(self.reset_at - self.now, 0)

    def limit_headers(self) -> dict:
        if not hasattr(self, "count"):
            return {}
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - self.count, 0)),
            "X-RateLimit-Reset": str(max(math.ceil(self.reset_at - self.now), 0)),
        }
