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
    try:
        cache.set("healthz", "1", 5)
        ok = cache.get("healthz") == "1"
    except Exception as exc:  # noqa: BLE001 - any cache client failure means "unavailable"
        logger.error("health check: cache unreachable: %s", exc)
        return "unavailable"
    return "ok" if ok else "unavailable"


@never_cache
def healthz(request):
    checks = {"database": _database()}
    if settings.REDIS_URL:
        checks["cache"] = _cache()
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )
