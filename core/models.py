"""Old addresses that answer with a permanent redirect (core/redirects.py), and partners'
API keys with their daily counts (core/api/keys.py)."""

import hashlib
import secrets

from django.core.validators import RegexValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Redirect(models.Model):
    class Source(models.TextChoices):
        IMPORTED = "imported", _("Imported (old site)")
        RENAMED = "renamed", _("Renamed on this site")
        EDITOR = "editor", _("Added by an editor")

    old_path = models.CharField(
        _("old address"),
        max_length=500,
        unique=True,
        help_text=_(
            "A path of this site or of an old one, with its query if it matters "
            "(/index.php?view=page&t=press_releases&id=1500). The host is ignored."
        ),
    )
    new_path = models.CharField(
        _("new address"),
        max_length=500,
        help_text=_("Where it leads now: a path on this site (/press-releases/...)."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.EDITOR
    )
    hits = models.PositiveIntegerField(_("hits"), default=0, editable=False)
    last_hit_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("redirect")
        verbose_name_plural = _("redirects")
        ordering = ["old_path"]

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .redirects import address_key, target_path

        try:
            self.old_path = address_key(self.old_path)
            self.new_path = target_path(self.new_path)
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if self.old_path == address_key(self.new_path):
            raise ValidationError(_("An address cannot lead to itself."))


RATE_FORMAT = r"^\d+/(second|minute|hour|day|s|m|h|d)$"


class ApiKeyQuerySet(models.QuerySet):
    def usable(self):
        """Neither revoked nor expired."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class ApiKey(models.Model):
    """A partner's key to the API: its own rate, counted per day, revocable. The key is shown
    once, when made; only its SHA-256 is kept (a key is 32 random bytes: no slow hash needed),
    with its first characters to tell keys apart. A key sees exactly what the public sees."""

    PREFIX = "cica_"

    name = models.CharField(_("partner"), max_length=200)
    contact = models.CharField(
        _("contact"), max_length=200, blank=True, help_text=_("Who to call about this key.")
    )
    rate = models.CharField(
        _("rate"),
        max_length=30,
        default="6000/hour",
        validators=[
            RegexValidator(RATE_FORMAT, _("A number of requests per second, minute, hour or day."))
        ],
        help_text=_("Requests allowed, e.g. 6000/hour or 100/minute."),
    )
    lookup = models.CharField(_("key begins"), max_length=20, editable=False)
    hashed = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name} ({self.lookup}…)"

    @staticmethod
    def digest(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def make_key(self) -> str:
        """A new key for this row (returned once; only its digest is kept)."""
        key = self.PREFIX + secrets.token_urlsafe(32)
        self.lookup = key[: len(self.PREFIX) + 6]
        self.hashed = self.digest(key)
        return key

    @classmethod
    def find(cls, key: str):
        """The usable key row for `key`, or None."""
        if not key.startswith(cls.PREFIX) or len(key) > 100:
            return None
        return cls.objects.usable().filter(hashed=cls.digest(key)).first()

    def count_request(self) -> None:
        """One more request today (Astana's day): an UPDATE, or the day's row on its first."""
        day = timezone.localdate()
        counted = ApiKeyUsage.objects.filter(key=self, day=day).update(
            requests=models.F("requests") + 1
        )
        if not counted:
            try:
                with transaction.atomic():
                    ApiKeyUsage.objects.create(key=self, day=day, requests=1)
            except IntegrityError:  # another request made the row first
                ApiKeyUsage.objects.filter(key=self, day=day).update(
                    requests=models.F("requests") + 1
                )


class ApiKeyUsage(models.Model):
    key = models.ForeignKey(
        ApiKey, verbose_name=_("API key"), on_delete=models.CASCADE, related_name="usage"
    )
    day = models.DateField(_("day"))
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API key use")
        verbose_name_plural = _("API key use")
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="one_count_per_day")]

    def __str__(self):
        return f"{self.key}: {self.day} {self.requests}"
