"""The API's shared machinery: the public read-only viewset, pagination, throttling, the one
error shape, the schema hook that documents it, and the router every app's viewsets join."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import HttpResponse
from django.utils.http import http_date
from rest_framework import exceptions, filters, pagination, routers, viewsets
from rest_framework.views import exception_handler

from core.caching import (
    EVERYTHING,
    PUBLIC_CACHE_CONTROL,
    RENDERED_DURING_PURGE,
    cache_key,
    cached_entry,
    canonical_query,
    canonical_redirect,
    keep_etag,
    known_tags,
    purged_since,
    purges_so_far,
    remember_tags,
    render_once,
    serves_from_cache,
    store_entry,
    tag_headers,
)

from .keys import ApiKeyAuthentication, KeyedRateThrottle, keyed


class StrictOrderingFilter(filters.OrderingFilter):
    """An unknown `ordering` is a 400 naming the allowed values, not silently ignored."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            allowed = {f for field in view.ordering_fields for f in (field, f"-{field}")}
            wrong = [term.strip() for term in params.split(",") if term.strip() not in allowed]
            if wrong:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            f"Unknown ordering {', '.join(wrong)}; use one of: {', '.join(sorted(allowed))}."
                        ]
                    }
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        one = "|".join(sorted(view.ordering_fields))
        for parameter in parameters:
            if parameter["name"] == self.ordering_param:
                parameter["schema"]["pattern"] = rf"^(-?({one})(,-?({one}))*)?$"
        return parameters


class StrictPageSizeMixin:
    """A `page_size` that is not a whole number from 1 to the maximum is a 400, not ignored."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        f"A whole number from 1 to {self.max_page_size}, not {raw[:20]!r}."
                    ]
                }
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        bounds = {
            self.page_size_query_param: {"minimum": 1, "maximum": self.max_page_size},
            getattr(self, "page_query_param", None): {"minimum": 1},
        }
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters


class CursorPagination(StrictPageSizeMixin, pagination.CursorPagination):
    """Cursor pages (a subclass sets `ordering`): no COUNT over the whole table."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque to clients, but anyone can craft one ("p=notadate"): a position
        # the ordering field cannot hold is an invalid cursor (404), never a server error.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (DjangoValidationError, DataError, ValueError, TypeError, OverflowError):
            raise exceptions.NotFound(self.invalid_cursor_message) from None


class PagePagination(StrictPageSizeMixin, pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_number(self, request, paginator):
        # DRF reads an empty `page=` as page 1; it is a page that does not exist (404), as
        # `page=0` and `page=x` are.
        return request.query_params.get(self.page_query_param, 1)


class PublicReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only, public content only, with HTTP caching headers for CDNs and clients.

    ETag and 304 answers to If-None-Match / If-Modified-Since come from Django's
    ConditionalGetMiddleware; this adds Last-Modified and Cache-Control.
    """

    # Anonymous clients get API_ANON_RATE (default 600 a minute), partners their key's rate;
    # then a 429 with Retry-After. Every answer carries X-RateLimit-* (core/api/keys.py).
    authentication_classes = [ApiKeyAuthentication]
    throttle_classes = [KeyedRateThrottle]
    cursor_pagination = CursorPagination
    lookup_field = "slug"
    lookup_value_regex = r"[-\w]+"  # what a slug can be: anything else is not an address here

    def public_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        return self.public_queryset()

    def last_modified(self, request):
        """When the content behind this response last changed (None if unknown)."""
        return None

    def get_throttles(self):
        self.throttles = super().get_throttles()  # kept for the answer's X-RateLimit-* headers
        return self.throttles

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for throttle in getattr(self, "throttles", ()):
            for header, value in throttle.limit_headers().items():
                response[header] = value
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            # Rendered while a purge happened: it may show rows from before it (nothing keeps it).
            kept = not getattr(self, "rendered_during_purge", False)
            response["Cache-Control"] = PUBLIC_CACHE_CONTROL if kept else RENDERED_DURING_PURGE
            if keyed(request):  # its X-RateLimit-* are this partner's: no shared cache keeps it
                response["Cache-Control"] = "private, max-age=0"
            changed = getattr(self, "_object_changed", None) or self.last_modified(request)
            if changed:
                response["Last-Modified"] = http_date(changed.timestamp())
        return response

    def list(self, request, *args, **kwargs):
        return self._cached(request, super().list, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(request, super().retrieve, *args, **kwargs)

    def _cached(self, request, handler, *args, **kwargs):
        """Anonymous answers come from the cache (after throttling and content negotiation)."""
        if not (serves_from_cache(request) or (settings.PUBLIC_CACHE and keyed(request))):
            return handler(request, *args, **kwargs)
        query, dropped = canonical_query(request, self.query_param_names())
        if dropped:
            return canonical_redirect(request, query)
        parts = (request.accepted_renderer.format, request.get_host(), request.path, query)
        key, address = cache_key("api-answer", *parts), ("api-answer", *parts)
        # The generations of the tags this address was last kept with come with the entry.
        hit = cached_entry(key, known_tags(address))
        if hit is None:
            hit, response = render_once(
                key, lambda: self._render_and_keep(key, address, request, handler, *args, **kwargs)
            )
        if hit is not None:
            remember_tags(address, hit["tags"])
            response = HttpResponse(hit["content"], content_type=hit["content_type"])
            response["ETag"] = hit["etag"]
            self._object_changed = hit["changed"]
            tag_headers(response, hit["tags"])
        response["X-Cache"] = "miss" if hit is None else "hit"
        return response

    def _render_and_keep(self, key, address, request, handler, *args, **kwargs):
        since = purges_so_far()
        response = handler(request, *args, **kwargs)
        if response.status_code == 200:
            changed = getattr(self, "_object_changed", None) or self.last_modified(request)
            self._object_changed = changed
            tags = self.cache_tags()
            tag_headers(response, tags)
            if request.accepted_renderer.format == "json":
                # The rendered bytes, not the data: a hit then costs no serialising at all. (The
                # browsable API's HTML is made per visitor and never kept.)
                response.accepted_renderer = request.accepted_renderer
                response.accepted_media_type = request.accepted_media_type
                response.renderer_context = self.get_renderer_context()
                response.render()
                keep_etag(response)
                answer = {
                    "content": response.content,
                    "content_type": response["Content-Type"],
                    "etag": response["ETag"],
                    "changed": changed,
                    "tags": sorted(tags),
                }
                store_entry(key, tags, answer, rendered_since=since)
                remember_tags(address, tags)
            self.rendered_during_purge = purged_since(since)
        return response

    def get_serializer_context(self):
        context = super().get_serializer_context()
        # What the serializers say the answer shows (editorial.serializers.KeptRowsMixin).
        context["shown_tags"] = self.shown_tags = set()
        return context

    def cache_tags(self) -> set[str]:
        """What this answer shows: the object's page tags, or the list's (`list_cache_tags`)."""
        obj = getattr(self, "_object", None)
        if obj is not None and getattr(self, "shown_tags", None):
            return set(self.shown_tags)
        if obj is not None and hasattr(obj, "page_tags"):
            return set(obj.page_tags())
        return set(getattr(self, "list_cache_tags", ())) or {EVERYTHING}

    def query_param_names(self) -> set[str]:
        """What this endpoint reads from the query: its filters, ordering and pagination."""
        names = set()
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None and self.action == "list":
            names |= set(filterset.base_filters)
        if self.action == "list":
            names |= {getattr(self, "ordering_param", "ordering")}
            paginator = self.paginator
            for attr in ("cursor_query_param", "page_query_param", "page_size_query_param"):
                if getattr(paginator, attr, None):
                    names.add(getattr(paginator, attr))
        return names

    def get_object(self):
        obj = super().get_object()
        self._object = obj
        stamps = [
            s for s in (getattr(obj, "updated_at", None), getattr(obj, "publish_at", None)) if s
        ]
        self._object_changed = max(stamps) if stamps else None
        return obj


def api_exception_handler(exc, context):
    """Every error as {"status", "code", "detail", "errors"}: one shape for clients to handle."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        detail, errors = str(data["detail"]), {}
        code = getattr(data["detail"], "code", None)
    else:
        detail = "Invalid request: see errors."
        errors = data if isinstance(data, dict) else {"non_field_errors": data}
        code = "invalid"
    code = code or getattr(exc, "default_code", "error")
    errors = getattr(exc, "detail_errors", errors)
    response.data = {
        "status": response.status_code,
        "code": code,
        "detail": detail,
        "errors": errors,
    }
    return response


def build_router(*registrations) -> routers.DefaultRouter:
    """One router for the whole API from each app's `(prefix, viewset, basename)` triples."""
    router = routers.DefaultRouter(trailing_slash=True)
    for prefix, viewset, basename in (r for group in registrations for r in group):
        router.register(prefix, viewset, basename=basename)
    return router


def document_error_responses(result, generator, request, public):
    """drf-spectacular hook: every operation may answer 400, 404 or 429 in the one error shape."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["status", "code", "detail", "errors"],
        "properties": {
            "status": {"type": "integer", "description": "The HTTP status code."},
            "code": {
                "type": "string",
                "description": "A stable machine-readable code, e.g. invalid, not_found, throttled.",
            },
            "detail": {"type": "string", "description": "What went wrong, for people."},
            "errors": {
                "type": "object",
                "description": "Per parameter, the reasons it was refused.",
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    reasons = {
        "400": "Invalid parameters",
        "404": "Not found",
        "429": "Too many requests; see Retry-After",
    }
    moved = {
        "description": "The same request without the parameters this endpoint does not read "
        "(one address per answer, so caches keep one copy): follow Location.",
        "headers": {"Location": {"schema": {"type": "string"}}},
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                if schema.get("type") == "string" and not {"pattern", "enum", "format"} & set(
                    schema
                ):
                    schema["pattern"] = (
                        r"^[^\x00]*$"  # a NUL is refused (400): see RejectNulMiddleware
                    )
            for code, description in reasons.items():
                operation["responses"].setdefault(code, {"description": description, **error})
            operation["responses"].setdefault("301", moved)
    return result


RATE_HEADERS = {
    "X-RateLimit-Limit": "Requests allowed in the window: API_ANON_RATE, or the partner key's.",
    "X-RateLimit-Remaining": "Requests left in the window.",
    "X-RateLimit-Reset": "Seconds until the window has room again.",
}


def document_rate_headers(result, generator, request, public):
    """drf-spectacular hook: the API's answers (but redirects) say where the client stands."""
    headers = {
        name: {"description": text, "schema": {"type": "integer", "minimum": 0}}
        for name, text in RATE_HEADERS.items()
    }
    for path, item in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for operation in item.values():
            for code, response in operation.get("responses", {}).items():
                if not code.startswith("3"):
                    response.setdefault("headers", {}).update(headers)
    return result
