"""Who receives mail about releases, and the record of every mail: subscribers (double
opt-in, no account), one mailing per release going live or updated, one delivery per
subscriber and mailing (the unique row that keeps several workers from sending twice),
accredited journalists and the embargoed advance copies sent to them."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from editorial.models import ChangeNote, Language
from releases.models import Organisation, PreviewLink, Release, Topic


def new_key() -> str:
    return secrets.token_urlsafe(16)


class Subscriber(models.Model):
    """An address that asked for alerts. Nothing is sent to it but the confirmation mail until
    it is confirmed; an unconfirmed one is forgotten after ALERTS_FORGET_UNCONFIRMED_DAYS."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Subscribed")
        PAUSED = "paused", _("Paused (mail bounced)")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")

    email = models.EmailField(
        verbose_name=_("email"), unique=True, help_text=_("Stored in lower case.")
    )
    language = models.CharField(
        verbose_name=_("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    everything = models.BooleanField(
        _("every release"),
        default=True,
        help_text=_("Every release; otherwise only the kinds, topics and organisations chosen."),
    )
    kinds = models.CharField(
        verbose_name=_("kinds"),
        max_length=100,
        blank=True,
        help_text=_("The kinds of release chosen, separated by spaces (none: every kind)."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="+")
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), blank=True, related_name="+"
    )
    frequency = models.CharField(
        verbose_name=_("how often"),
        max_length=10,
        choices=[
            ("immediate", _("Each release as it is published")),
            ("daily", _("A daily digest")),
            ("weekly", _("A weekly digest")),
        ],
        default="immediate",
    )
    narrowed = models.BooleanField(
        verbose_name=_("narrowed"),
        default=False,
        editable=False,
        help_text=_(
            "Topics or organisations were chosen: a release must name one of them, even "
            "once they are all deleted (a choice lost never widens a subscription)."
        ),
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    key = models.CharField(
        verbose_name=_("key"),
        max_length=32,
        default=new_key,
        editable=False,
        help_text=_("Part of every link mailed to this address: a new key voids the old links."),
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    confirmed_at = models.DateTimeField(verbose_name=_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(verbose_name=_("unsubscribed at"), null=True, blank=True)
    last_mail_at = models.DateTimeField(verbose_name=_("last mail at"), null=True, blank=True)
    hard_failures = models.PositiveIntegerField(
        verbose_name=_("hard failures"),
        default=0,
        help_text=_("Permanent delivery failures in a row; pauses the address."),
    )

    class Meta:
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @property
    def kind_list(self) -> list[str]:
        return self.kinds.split()

    def choices_summary(self) -> str:
        if self.everything:
            return str(_("every release"))
        parts = [str(Release.Kind(k).label) for k in self.kind_list if k in Release.Kind.values]
        parts += [t.name for t in self.topics.all()]
        parts += [o.acronym or o.name for o in self.organisations.all()]
        return ", ".join(parts) or str(_("every release"))

    @classmethod
    def matching(cls, release) -> models.QuerySet:
        """Active subscribers whose choices take in `release` (an original): every release; or
        its kind among theirs (none chosen: any kind) and, if they chose topics or
        organisations, one of the release's."""
        topics = list(release.topics.values_list("pk", flat=True))
        organisations = list(release.organisations.values_list("pk", flat=True))
        through_topics = cls.topics.through.objects.filter(subscriber=models.OuterRef("pk"))
        through_orgs = cls.organisations.through.objects.filter(subscriber=models.OuterRef("pk"))
        kind = Q(kinds="") | Q(kinds__contains=release.kind)
        chose_none = (
            Q(narrowed=False) & ~models.Exists(through_topics) & ~models.Exists(through_orgs)
        )
        shares = models.Exists(through_topics.filter(topic__in=topics)) | models.Exists(
            through_orgs.filter(organisation__in=organisations)
        )
        return cls.objects.filter(status=cls.Status.ACTIVE).filter(
            Q(everything=True) | (kind & (chose_none | shares))
        )


class Digest(models.Model):
    """One period's digest (daily or weekly): made when it is queued, unique, so a period is
    never sent twice. `alerts.digests` says when each is due and what goes in it."""

    frequency = models.CharField(verbose_name=_("how often"), max_length=10)
    period_start = models.DateTimeField(verbose_name=_("from"))
    period_end = models.DateTimeField(verbose_name=_("until"))
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)
    sent = models.PositiveIntegerField(verbose_name=_("mails sent"), default=0)

    class Meta:
        verbose_name = _("digest")
        verbose_name_plural = _("digests")
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["frequency", "period_end"], name="digest_once")
        ]

    def __str__(self):
        return f"{self.frequency} {self.period_end:%Y-%m-%d}"


class DigestDelivery(models.Model):
    """A digest's mail to one subscriber: made before it is sent, unique, never sent twice."""

    digest = models.ForeignKey(
        Digest, verbose_name=_("digest"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        "Subscriber", verbose_name=_("subscriber"), on_delete=models.CASCADE, related_name="+"
    )
    releases = models.PositiveSmallIntegerField(verbose_name=_("releases"), default=0)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)
    error = models.TextField(verbose_name=_("error"), blank=True)

    class Meta:
        verbose_name = _("digest mail")
        verbose_name_plural = _("digest mails")
        constraints = [
            models.UniqueConstraint(fields=["digest", "subscriber"], name="digest_mail_once")
        ]

    def __str__(self):
        return f"{self.digest} → {self.subscriber_id}"


class Mailing(models.Model):
    """One mailing about a release: its going live, or an update a publisher asked for with a
    change note. Made when it is sent out; unique, so a release is announced once."""

    class Occasion(models.TextChoices):
        PUBLISHED = "published", _("Went live")
        UPDATE = "update", _("Update")

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="mailings"
    )
    occasion = models.CharField(verbose_name=_("occasion"), max_length=10, choices=Occasion.choices)
    change_note = models.OneToOneField(
        ChangeNote,
        verbose_name=_("change note"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["release"],
                condition=Q(occasion="published"),
                name="one_go_live_mailing_per_release",
            ),
        ]

    def __str__(self):
        return f"{self.get_occasion_display()}: {self.release}"


class Delivery(models.Model):
    """One mail to one subscriber for one mailing. The unique pair is what keeps two workers
    from sending it twice: a worker claims queued rows with a conditional update."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Not sent (address paused or unsubscribed)")

    mailing = models.ForeignKey(
        Mailing, verbose_name=_("mailing"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("subscriber"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=8,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    claim = models.CharField(verbose_name=_("claim"), max_length=32, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(verbose_name=_("attempts"), default=0)
    last_error = models.TextField(verbose_name=_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(verbose_name=_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)
    language = models.CharField(
        verbose_name=_("language"), max_length=2, blank=True, help_text=_("Of the version sent.")
    )
    message_id = models.CharField(verbose_name=_("message id"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscriber"], name="one_delivery_per_subscriber"
            )
        ]

    def __str__(self):
        return f"{self.subscriber} — {self.mailing}"


class SignupAttempt(models.Model):
    """A subscription request, kept a day for the rate limits: keyed hashes of the client's
    address and of the e-mail address, never the addresses themselves."""

    client = models.CharField(verbose_name=_("client"), max_length=64, db_index=True)
    address = models.CharField(verbose_name=_("address"), max_length=64, db_index=True)
    at = models.DateTimeField(verbose_name=_("at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("signup attempt")
        verbose_name_plural = _("signup attempts")

    def __str__(self):
        return f"Sign-up at {self.at:%Y-%m-%d %H:%M}"

    @staticmethod
    def digest(value: str) -> str:
        return hmac.new(
            settings.SECRET_KEY.encode(), value.strip().lower().encode(), hashlib.sha256
        ).hexdigest()


class AccreditedJournalist(models.Model):
    """A journalist the press office trusts with embargoed copies before go-live."""

    name = models.CharField(verbose_name=_("name"), max_length=200)
    outlet = models.CharField(verbose_name=_("outlet"), max_length=200)
    email = models.EmailField(verbose_name=_("email"), unique=True)
    language = models.CharField(
        verbose_name=_("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    accredited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accredited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    accredited_until = models.DateField(
        verbose_name=_("accredited until"), help_text=_("No advance copy is sent after this day.")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("accredited journalist")
        verbose_name_plural = _("accredited journalists")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.outlet})"

    @classmethod
    def current(cls):
        return cls.objects.filter(accredited_until__gte=timezone.localdate())


class AdvanceCopy(models.Model):
    """An embargoed copy of a scheduled release mailed to an accredited journalist, with a
    personal preview link that expires at go-live."""

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="advance_copies"
    )
    journalist = models.ForeignKey(
        AccreditedJournalist,
        verbose_name=_("journalist"),
        on_delete=models.CASCADE,
        related_name="advance_copies",
    )
    preview_link = models.ForeignKey(
        PreviewLink, verbose_name=_("preview link"), on_delete=models.SET_NULL, null=True
    )
    embargo_until = models.DateTimeField(verbose_name=_("embargo until"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(verbose_name=_("sent at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(
        verbose_name=_("cancelled at"),
        null=True,
        blank=True,
        help_text=_("When the “do not publish” notice went out."),
    )
    last_error = models.TextField(verbose_name=_("last error"), blank=True)

    class Meta:
        verbose_name = _("advance copy")
        verbose_name_plural = _("advance copies")
        ordering = ["-embargo_until", "journalist__name"]

    def __str__(self):
        return f"{self.release} → {self.journalist}"


def accreditation_file_path(request, filename: str) -> str:
    """A name nobody can guess: these files are personal data, served to the press office only."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"accreditation/{secrets.token_urlsafe(24)}.{extension}"


class AccreditationRequest(models.Model):
    """A journalist's application for media accreditation to an event, and the press office's
    decision. Kept until the event's end plus ACCREDITATION_RETENTION_DAYS, then erased with its
    files (`forget_accreditations`)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        MORE = "more", _("More information asked")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        PHOTOGRAPHER = "photographer", _("Photographer")
        CAMERA = "camera", _("Camera operator")
        TECHNICIAN = "technician", _("Technician")
        EDITOR = "editor", _("Editor or producer")

    event = models.ForeignKey(
        "releases.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="accreditation_requests",
    )
    name = models.CharField(verbose_name=_("full name"), max_length=200)
    outlet = models.CharField(verbose_name=_("media outlet"), max_length=200)
    role = models.CharField(verbose_name=_("role"), max_length=12, choices=Role.choices)
    country = models.CharField(verbose_name=_("country"), max_length=100)
    email = models.EmailField(verbose_name=_("email"))
    phone = models.CharField(verbose_name=_("phone"), max_length=40)
    press_card = models.FileField(
        verbose_name=_("press card"), upload_to=accreditation_file_path, max_length=200
    )
    photo = models.ImageField(
        verbose_name=_("photo for the badge"), upload_to=accreditation_file_path, max_length=200
    )
    days = models.JSONField(verbose_name=_("days attending"), default=list, blank=True)
    language = models.CharField(
        verbose_name=_("language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    status = models.CharField(
        verbose_name=_("decision"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(
        verbose_name=_("reason or question"),
        blank=True,
        max_length=2000,
        help_text=_("Sent to the applicant with a refusal or a request for more information."),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)
    created_at = models.DateTimeField(verbose_name=_("received at"), default=timezone.now)
    forget_after = models.DateField(
        verbose_name=_("erased after"),
        help_text=_("The request and its files are erased after this day."),
    )

    class Meta:
        verbose_name = _("accreditation request")
        verbose_name_plural = _("accreditation requests")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["event", "status"]), models.Index(fields=["forget_after"])]

    def __str__(self):
        return f"{self.name} ({self.outlet})"

    def delete(self, *args, **kwargs):
        files = [f for f in (self.press_card, self.photo) if f]
        result = super().delete(*args, **kwargs)
        for field in files:  # personal data: gone with the request
            field.storage.delete(field.name)
        return result
