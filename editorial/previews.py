"""Preview links: a secret, signed, expiring, revocable address for one item not yet public."""

import datetime
import secrets

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Status

PREVIEW_LINK_LIFETIME = datetime.timedelta(hours=48)
PREVIEW_LINK_MAX_LIFETIME = datetime.timedelta(days=30)
PREVIEW_SIGNING_SALT = "releases.preview-link"


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class PreviewLinkBase(models.Model):
    """A secret, expiring, revocable address showing one unpublished item to a journalist. The
    content app's concrete model adds the link to its item."""

    token = models.CharField(verbose_name=_("token"), max_length=128, unique=True, editable=False)
    label = models.CharField(
        verbose_name=_("label"),
        max_length=200,
        blank=True,
        help_text=_("Who the link is for, e.g. “Kazinform newsroom”."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    expires_at = models.DateTimeField(verbose_name=_("expires at"))
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)

    objects = PreviewLinkQuerySet.as_manager()
    item_field = ""  # the concrete model's link to the item it shows

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @staticmethod
    def new_token() -> str:
        """A random value signed with the site's secret key: forged or altered tokens are refused
        before the database is asked, and rotating DJANGO_SECRET_KEY voids every link."""
        return signing.TimestampSigner(salt=PREVIEW_SIGNING_SALT).sign(secrets.token_urlsafe(18))

    @classmethod
    def find(cls, token: str):
        """The usable link for `token`, or None (bad signature, unknown, expired or revoked, or
        its item withdrawn: a withdrawn item is read by nobody, its page, pictures and documents
        alike, whatever links were handed out)."""
        try:
            signing.TimestampSigner(salt=PREVIEW_SIGNING_SALT).unsign(
                token, max_age=PREVIEW_LINK_MAX_LIFETIME
            )
        except signing.BadSignature:
            return None
        link = cls.objects.usable().select_related(cls.item_field).filter(token=token).first()
        if link is None or getattr(link, cls.item_field).status == Status.WITHDRAWN:
            return None
        return link
