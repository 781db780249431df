"""The editor's choice of language for the admin."""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import EditorPreference


@require_POST
def admin_language(request):
    """Keep the language this editor wants the admin in, then go back where they were."""
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        EditorPreference.objects.update_or_create(
            user=request.user, defaults={"language": language}
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("admin:index")
    return HttpResponseRedirect(back)
