"""GET /healthz: can this process reach its database (and Redis, when configured)?"""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.error("health check: database unreachable: %s", exc)
        return "unavailable"
    return "ok"


def _cache() -> str:
    ping = getattr(cache, "ping", None)
    try:
        ok = ping() if ping else (cache.set("healthz", "1", 5) or cache.get("healthz") == "1")
    except Exception as exc:  # noqa: BLE001 - any cache client failure means "unavailable"
        logger.error("health check: cache unreachable: %s", exc)
        ok = False
    return "ok" if ok else "unavailable"


@never_cache
def healthz(request):
    """200 "ok"; 200 "degraded" while the cache server is away (the node still serves, only
    slower: keep it in the load balancer); 503 "unavailable" when the database is."""
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks["cache"] = _cache()
    if checks["database"] != "ok":
        status = "unavailable"
    elif any(v != "ok" for v in checks.values()):
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {"status": status, **checks}, status=503 if status == "unavailable" else 200
    )
