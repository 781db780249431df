"""The change form of publishable items and the preview-link form: the workflow's rules, checked
when an editor saves (second pair of eyes, change notes, stale saves)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.text.dates import astana_and_utc

from . import conflicts, workflow
from .models import Status
from .previews import PREVIEW_LINK_LIFETIME, PREVIEW_LINK_MAX_LIFETIME


class PublishableForm(forms.ModelForm):
    """The change form with the workflow's rules, the second pair of eyes, change notes and the
    stale-save check. `request_user` is set on the class the admin builds for each request."""

    TEXT_FIELDS = ()  # fields whose change on a live item calls for a public change note

    force_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Reason to approve my own submission"),
        help_text=_(
            "Only if you publish what you sent for review yourself (or what nobody "
            "reviewed). It is kept in the editorial log."
        ),
    )
    change_note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Public change note"),
        help_text=_(
            "For a correction to something already live: shown with today's date on the "
            "page and in the API, e.g. “Corrected the date of the ministerial meeting.”"
        ),
    )
    small_fix = forms.BooleanField(
        required=False,
        label=_("Small fix, no change note"),
        help_text=_("A typo or formatting fix that does not change what the text says."),
    )
    send_as_update = forms.BooleanField(
        required=False,
        label=_("Send to alert subscribers as an update"),
        help_text=_(
            "Mails the corrected text with its change note to the subscribers it "
            "matches. Leave it unticked for most corrections."
        ),
    )

    review_comment = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why it goes back to draft"),
        help_text=_(
            "When you return someone's submission: what to change. They see it on the "
            "form and on their dashboard; it is kept in the editorial log."
        ),
    )
    conflicts = forms.CharField(required=False, widget=forms.HiddenInput)
    restore_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("Why restore this version"),
        help_text=_(
            "Kept in the history with the restore, e.g. “The minister's office asked to "
            "keep the original wording.”"
        ),
    )

    request_user = None

    class Meta:
        widgets = {
            "version": forms.HiddenInput,
            "withdrawal_note": forms.Textarea(attrs={"rows": 2}),
        }

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
        # After a refused save, one choice per field both editors changed.
        self.conflict_list = []
        self.resolving = [n for n in (self.data.get("conflicts") or "").split(",") if n]
        for name in self.resolving:
            if name in self.fields and self.before is not None:
                label = str(self.fields[name].label or name).capitalize()
                self.fields[conflicts.resolution_field(name)] = conflicts.resolution_choice(label)
                self.conflict_list.append(
                    conflicts.Conflict(
                        name=name,
                        label=label,
                        theirs=conflicts.readable(self.before, name),
                        mine=", ".join(self.data.getlist(name)) or "—",
                    )
                )
        if "status" in self.fields:
            allowed = workflow.allowed_statuses(
                self.request_user, self.before or self.instance, current
            )
            self.fields["status"].choices = [(s, Status(s).label) for s in allowed]

    def clean(self):
        cleaned = super().clean()
        if getattr(self.instance, "_history", None) is not None and not (
            cleaned.get("restore_reason", "").strip()
        ):
            self.add_error("restore_reason", "Say why this earlier text comes back.")
        if self.before is not None:
            self._apply_resolutions(cleaned)
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

    @property
    def conflict_rows(self):
        """The conflicts with the editor's choice so far and its error, for the template."""
        for conflict in self.conflict_list:
            choice_name = conflicts.resolution_field(conflict.name)
            conflict.choice = self.data.get(choice_name, "")
            conflict.error = " ".join(self.errors.get(choice_name, [])) if self.is_bound else ""
        return self.conflict_list

    def _apply_resolutions(self, cleaned):
        """The editor chose, per conflicting field, theirs or mine: “theirs” takes the stored
        value (the item is locked by the version check that follows)."""
        for name in self.resolving:
            if cleaned.get(conflicts.resolution_field(name)) == conflicts.THEIRS:
                cleaned[name] = conflicts.resolved_value(self.before, name)

    def _check_version(self, cleaned):
        model = type(self.instance)
        sent = cleaned.get("version")
        stored = workflow.stale_save(model, self.before.pk, sent)
        if stored is None:
            return
        who = stored.updated_by.get_username() if stored.updated_by else "Someone"
        base = stored.history.filter(version=sent).order_by("-history_id").first()
        # The next save is deliberate: their changes are now in the form, and each field we
        # both changed waits for the editor's choice.
        self.data = self.data.copy()
        self.conflict_list = conflicts.merge(self, cleaned, stored, base)
        self.data["version"] = stored.version
        self.data["conflicts"] = ",".join(c.name for c in self.conflict_list)
        both = [c.label for c in self.conflict_list]
        raise ValidationError(
            "%(who)s saved this %(what)s at %(when)s while you were editing. Nothing of yours "
            "was saved yet. What only they changed is now in the form; what only you changed "
            "is kept.%(both)s",
            code="stale",
            params={
                "who": who,
                "what": model._meta.verbose_name,
                "when": astana_and_utc(stored.updated_at),
                "both": (
                    f" You both changed: {', '.join(both)}. Choose for each, then save again."
                    if both
                    else " Check the form, then save again."
                ),
            },
        )

    def _check_change_note(self, cleaned):
        edited = workflow.needs_change_note(self.before, cleaned, self.TEXT_FIELDS)
        if edited and not cleaned.get("change_note", "").strip() and not cleaned.get("small_fix"):
            self.add_error(
                "change_note",
                "This is live: say publicly what you corrected, or tick “Small fix” if it "
                "does not change what the text says.",
            )
        if cleaned.get("send_as_update") and not cleaned.get("change_note", "").strip():
            self.add_error(
                "send_as_update", "An update sent to subscribers needs a public change note."
            )

    def full_clean(self):
        # The workflow is asked once the form and the model are valid (the instance then holds
        # the values the editor sent).
        super().full_clean()
        if not self.is_bound or self.errors:
            return
        try:
            self.plan = workflow.check(
                self.request_user,
                self.instance,
                self.before,
                force_reason=self.cleaned_data.get("force_reason", ""),
                comment=self.cleaned_data.get("review_comment", ""),
            )
        except workflow.WorkflowError as error:
            self.add_error(error.field, error.message)


class PreviewLinkForm(forms.Form):
    label = forms.CharField(
        max_length=200,
        required=False,
        help_text=_("Who the link is for, e.g. “Kazinform newsroom”."),
    )
    hours = forms.IntegerField(
        min_value=1,
        max_value=int(PREVIEW_LINK_MAX_LIFETIME.total_seconds() // 3600),
        initial=int(PREVIEW_LINK_LIFETIME.total_seconds() // 3600),
        label=_("Valid for (hours)"),
    )
