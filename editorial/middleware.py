"""The editors' workspace in the language each editor chose (English or Russian)."""

from django.utils import translation

from .models import EditorPreference


class EditorLanguageMiddleware:
    """In /admin/, a signed-in editor's own language; the public site keeps its URL's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.path.startswith("/admin/") and user is not None and user.is_authenticated:
            language = EditorPreference.language_of(user)
            request.LANGUAGE_CODE = language
            # For this request only: the thread's language is as it was afterwards.
            with translation.override(language):
                return self.get_response(request)
        return self.get_response(request)
