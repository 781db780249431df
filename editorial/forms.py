"""The change form of publishable items and the preview-link form: the workflow's rules, checked
when an editor saves (second pair of eyes, change notes, stale saves)."""

from django import forms
from django.core.exceptions import ValidationError

from core.dates import astana_and_utc

from . import workflow
from .models import Status
from .previews import PREVIEW_LINK_LIFETIME, PREVIEW_LINK_MAX_LIFETIME


class PublishableForm(forms.ModelForm):
    """The change form with the workflow's rules, the second pair of eyes, change notes and the
    stale-save check. `request_user` is set on the class the admin builds for each request."""

    TEXT_FIELDS = ()  # fields whose change on a live item calls for a public change note

    force_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason to approve my own submission",
        help_text="Only if you publish what you sent for review yourself (or what nobody "
        "reviewed). It is kept in the editorial log.",
    )
    change_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Public change note",
        help_text="For a correction to something already live: shown with today's date on the "
        "page and in the API, e.g. “Corrected the date of the ministerial meeting.”",
    )
    small_fix = forms.BooleanField(
        required=False,
        label="Small fix, no change note",
        help_text="A typo or formatting fix that does not change what the text says.",
    )

    request_user = None

    class Meta:
        widgets = {"version": forms.HiddenInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.before = None
        self.plan = None
        if self.instance.pk:
            # The stored item, not the instance: a restored revision keeps the current state
            # and version (restore brings back text, the workflow moves state).
            self.before = type(self.instance).objects.filter(pk=self.instance.pk).first()
        current = self.before.status if self.before else Status.DRAFT
        if self.before:
            for name in ("status", "publish_at", "withdrawal_note", "version"):
                if name in self.fields:
                    self.initial[name] = getattr(self.before, name)
        if "status" in self.fields:
            allowed = workflow.allowed_statuses(
                self.request_user, self.before or self.instance, current
            )
            self.fields["status"].choices = [(s, Status(s).label) for s in allowed]

    def clean(self):
        cleaned = super().clean()
        if self.before is not None:
            self._keep_unchanged_go_live(cleaned)
            self._check_version(cleaned)
            self._check_change_note(cleaned)
        return cleaned

    def _keep_unchanged_go_live(self, cleaned):
        """The form shows the go-live time to the second: the same time sent back is no
        change (the stored fractions of a second stay, and nothing is logged as rescheduled)."""
        sent, stored = cleaned.get("publish_at"), self.before.publish_at
        if sent and stored and sent == stored.replace(microsecond=0):
            cleaned["publish_at"] = stored

    def _check_version(self, cleaned):
        model = type(self.instance)
        stored = workflow.stale_save(model, self.before.pk, cleaned.get("version"))
        if stored is None:
            return
        who = stored.updated_by.get_username() if stored.updated_by else "Someone"
        changed = self._changed_since(cleaned.get("version"), stored)
        # The next save is deliberate: the editor has now been told and can merge first.
        self.data = self.data.copy()
        self.data["version"] = stored.version
        raise ValidationError(
            "%(who)s saved this %(what)s at %(when)s while you were editing%(changed)s. Nothing "
            "of yours was saved, and your text is kept below. Open the %(what)s in another tab "
            "to see their version, bring the two together here, then save again.",
            code="stale",
            params={
                "who": who,
                "what": model._meta.verbose_name,
                "when": astana_and_utc(stored.updated_at),
                "changed": f" (they changed: {', '.join(changed)})" if changed else "",
            },
        )

    def _changed_since(self, version, stored) -> list[str]:
        from .revisions import compare

        then = stored.history.filter(version=version).order_by("-history_id").first()
        now = stored.history.order_by("-history_id").first()
        if then is None or now is None:
            return []
        return [row["label"] for row in compare(then, now)]

    def _check_change_note(self, cleaned):
        edited = workflow.needs_change_note(self.before, cleaned, self.TEXT_FIELDS)
        if edited and not cleaned.get("change_note", "").strip() and not cleaned.get("small_fix"):
            self.add_error(
                "change_note",
                "This is live: say publicly what you corrected, or tick “Small fix” if it "
                "does not change what the text says.",
            )

    def _post_clean(self):
        super()._post_clean()
        if self._errors and any(self._errors.values()):
            return
        try:
            self.plan = workflow.check(
                self.request_user,
                self.instance,
                self.before,
                force_reason=self.cleaned_data.get("force_reason", ""),
            )
        except workflow.WorkflowError as error:
            self.add_error(error.field, error.message)


class PreviewLinkForm(forms.Form):
    label = forms.CharField(
        max_length=200,
        required=False,
        help_text="Who the link is for, e.g. “Kazinform newsroom”.",
    )
    hours = forms.IntegerField(
        min_value=1,
        max_value=int(PREVIEW_LINK_MAX_LIFETIME.total_seconds() // 3600),
        initial=int(PREVIEW_LINK_LIFETIME.total_seconds() // 3600),
        label="Valid for (hours)",
    )
