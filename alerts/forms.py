"""The public forms: subscribe (with a bot trap that needs no third-party service) and
change preferences."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.validators import no_bidi_controls
from library.checks import check_size, clean_image, document_kind
from releases.models import Organisation, Release, Topic

from .models import AccreditationRequest

ISSUED_SALT = "alerts.form-issued"


class ChoicesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the mail"),
        choices=settings.LANGUAGES,  # each named in itself: "English", "Русский"
        widget=forms.RadioSelect,
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=[
            ("immediate", _("Each release as it is published")),
            ("daily", _("One digest a day")),
            ("weekly", _("One digest a week")),
        ],
        initial="immediate",
        required=False,  # left out (an older form): as published
        widget=forms.RadioSelect,
    )
    scope = forms.ChoiceField(
        label=_("What to receive"),
        choices=[("all", _("Every release")), ("chosen", _("Only what I choose below"))],
        initial="all",
        widget=forms.RadioSelect,
    )
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        required=False,
        choices=Release.Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        required=False,
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations"),
        required=False,
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("With topics or organisations ticked, a release must name one of them."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].help_text = _(
            "A digest lists the period's releases in one mail: daily at %(hour)s, weekly on "
            "%(weekday)s at the same hour (Astana time). Nothing is sent when there is nothing."
        ) % {
            "hour": f"{settings.ALERTS_DIGEST_HOUR:02d}:00",
            "weekday": WEEKDAYS[settings.ALERTS_DIGEST_WEEKDAY],
        }
        for name, queryset in (
            ("topics", Topic.objects.public().order_by("name")),
            ("organisations", Organisation.objects.public().order_by("name")),
        ):
            if queryset.exists():
                self.fields[name].queryset = queryset
            else:  # nothing public to choose from yet: no empty box
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("scope") == "chosen" and not (
            cleaned.get("kinds") or cleaned.get("topics") or cleaned.get("organisations")
        ):
            self.add_error("scope", _("Tick at least one kind, topic or organisation."))
        return cleaned

    def apply(self, subscriber) -> None:
        """Store the choices on `subscriber` (saved) and its links."""
        data = self.cleaned_data
        subscriber.language = data["language"]
        subscriber.frequency = data.get("frequency") or "immediate"
        subscriber.everything = data["scope"] == "all"
        chosen = not subscriber.everything
        subscriber.kinds = " ".join(data["kinds"]) if chosen else ""
        subscriber.narrowed = chosen and bool(data.get("topics") or data.get("organisations"))
        subscriber.save()
        subscriber.topics.set(data.get("topics", []) if chosen else [])
        subscriber.organisations.set(data.get("organisations", []) if chosen else [])

    @staticmethod
    def initial_for(subscriber) -> dict:
        return {
            "language": subscriber.language,
            "frequency": subscriber.frequency,
            "scope": "all" if subscriber.everything else "chosen",
            "kinds": subscriber.kind_list,
            "topics": list(subscriber.topics.all()),
            "organisations": list(subscriber.organisations.all()),
        }


class BotTrapForm(forms.Form):
    """The bot trap of the public forms, which needs no third-party service: a field people
    never see (hidden by the stylesheet, skipped by screen readers and the keyboard) and a
    signed time the form was shown. A form sent back with the trap filled, or faster than a
    person can fill it, is answered as usual and ignored."""

    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued"].initial = signing.dumps(time.time(), salt=ISSUED_SALT)

    def looks_automated(self) -> bool:
        if self.cleaned_data.get("website"):
            return True
        try:
            issued = signing.loads(self.cleaned_data.get("issued", ""), salt=ISSUED_SALT)
        except signing.BadSignature:
            return True
        age = time.time() - float(issued)
        return not (settings.ALERTS_MIN_FORM_SECONDS <= age <= 86400)


def clean_address(email: str) -> str:
    email = email.strip().lower()
    no_bidi_controls(email)  # an address that reads otherwise than it is
    try:
        email.rpartition("@")[2].encode("idna")  # what sending it will need
    except UnicodeError:
        raise forms.ValidationError(_("Enter a valid email address."), code="invalid") from None
    return email


class SubscribeForm(BotTrapForm, ChoicesForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field_order = ["email", "language", "frequency", "scope", "kinds", "topics", "organisations"]

    def clean_email(self):
        return clean_address(self.cleaned_data["email"])


class AccreditationForm(BotTrapForm):
    """A journalist's application for media accreditation to an event."""

    name = forms.CharField(
        label=_("Full name, as on your passport"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    outlet = forms.CharField(
        label=_("Media outlet"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    role = forms.ChoiceField(label=_("Your role"), choices=AccreditationRequest.Role.choices)
    country = forms.CharField(
        label=_("Country of the outlet"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "country-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone, with the country code"),
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    press_card = forms.FileField(
        label=_("Press card"),
        help_text=_("A photograph (JPEG, PNG, WebP) or a PDF of your press card."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
    )
    photo = forms.FileField(
        label=_("Photo for the badge"),
        help_text=_("A recent passport-style photograph (JPEG, PNG or WebP)."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    days = forms.MultipleChoiceField(
        label=_("Days you will attend"), widget=forms.CheckboxSelectMultiple
    )
    consent = forms.BooleanField(label="")
    field_order = [
        "name", "outlet", "role", "country", "email", "phone", "press_card", "photo", "days",
        "consent",
    ]  # fmt: skip

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        days = event.days()
        if days:
            self.fields["days"].choices = [
                (day.isoformat(), date_format(day, "DATE_FORMAT")) for day in days
            ]
        else:  # dates not known to the day: nothing to choose
            del self.fields["days"]
        self.fields["consent"].label = _(
            "I agree that the CICA press office keeps these details and files to decide on my "
            "accreditation and to make my badge, until %(days)d days after the event's end, "
            "when they are erased."
        ) % {"days": settings.ACCREDITATION_RETENTION_DAYS}

    def clean_email(self):
        return clean_address(self.cleaned_data["email"])

    def clean_name(self):
        name = self.cleaned_data["name"]
        no_bidi_controls(name)
        return name

    def clean_press_card(self):
        upload = self.cleaned_data["press_card"]
        check_size(upload, settings.MEDIA_MAX_IMAGE_BYTES)
        upload.seek(0)
        if document_kind(upload.read()) == "pdf":
            upload.seek(0)
            return upload
        try:
            clean = clean_image(upload)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Upload a photograph (JPEG, PNG or WebP) or a PDF of your press card."),
                code="format",
            ) from None
        return ContentFile(clean.content, name=f"card.{clean.extension}")

    def clean_photo(self):
        clean = clean_image(self.cleaned_data["photo"])
        return ContentFile(clean.content, name=f"photo.{clean.extension}")
