"""The public forms: subscribe (with a bot trap that needs no third-party service) and
change preferences."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from core.validators import no_bidi_controls
from releases.models import Organisation, Release, Topic

ISSUED_SALT = "alerts.form-issued"


class ChoicesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the mail"),
        choices=settings.LANGUAGES,  # each named in itself: "English", "Русский"
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
            "scope": "all" if subscriber.everything else "chosen",
            "kinds": subscriber.kind_list,
            "topics": list(subscriber.topics.all()),
            "organisations": list(subscriber.organisations.all()),
        }


class SubscribeForm(ChoicesForm):
    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    field_order = ["email", "language", "scope", "kinds", "topics", "organisations"]
    # The bot trap: a field people never see (hidden by the stylesheet, skipped by screen
    # readers and the keyboard) and a signed time the form was shown; a form sent back with
    # the trap filled, or faster than a person can fill it, is answered as usual and ignored.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    issued = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issued"].initial = signing.dumps(time.time(), salt=ISSUED_SALT)

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        no_bidi_controls(email)  # an address that reads otherwise than it is
        try:
            email.rpartition("@")[2].encode("idna")  # what sending it will need
        except UnicodeError:
            raise forms.ValidationError(_("Enter a valid email address."), code="invalid") from None
        return email

    def looks_automated(self) -> bool:
        if self.cleaned_data.get("website"):
            return True
        try:
            issued = signing.loads(self.cleaned_data.get("issued", ""), salt=ISSUED_SALT)
        except signing.BadSignature:
            return True
        age = time.time() - float(issued)
        return not (settings.ALERTS_MIN_FORM_SECONDS <= age <= 86400)
