"""Old addresses that answer with a permanent redirect (core/redirects.py)."""

from django.db import models
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
