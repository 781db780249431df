"""The press office's side of alerts: subscribers (export and erase one person's data),
the delivery report of each mailing (resend to failures), accredited journalists and the
embargoed advance copies sent to them."""

import datetime
import json

from django import forms
from django.contrib import admin, messages
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.text.dates import astana_and_utc
from editorial.formfields import WORKSPACE_FIELDS
from releases.models import PreviewLink, Release

from . import delivery, tasks
from .models import (
    AccreditationRequest,
    AccreditedJournalist,
    AdvanceCopy,
    Delivery,
    Digest,
    DigestDelivery,
    Mailing,
    Subscriber,
)


def subscriber_data(subscriber) -> dict:
    """Everything kept about one subscriber (a data-access request)."""
    return {
        "email": subscriber.email,
        "language": subscriber.language,
        "frequency": subscriber.frequency,
        "status": subscriber.status,
        "every_release": subscriber.everything,
        "kinds": subscriber.kind_list,
        "topics": [t.name for t in subscriber.topics.all()],
        "organisations": [o.name for o in subscriber.organisations.all()],
        "subscribed_at": subscriber.created_at,
        "confirmed_at": subscriber.confirmed_at,
        "unsubscribed_at": subscriber.unsubscribed_at,
        "last_mail_at": subscriber.last_mail_at,
        "mails": [
            {
                "release": d.mailing.release.title,
                "occasion": d.mailing.occasion,
                "status": d.status,
                "sent_at": d.sent_at,
                "error": d.last_error,
            }
            for d in subscriber.deliveries.select_related("mailing__release")
        ],
    }


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    list_display = (
        "email", "status", "language", "frequency", "choices", "confirmed_at", "last_mail_at",
    )  # fmt: skip
    list_filter = ("status", "language", "frequency", "everything")
    search_fields = ("email",)
    readonly_fields = ("created_at", "confirmed_at", "unsubscribed_at", "last_mail_at")
    filter_horizontal = ("topics", "organisations")
    actions = ("export_data", "erase")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("topics", "organisations")

    @admin.display(description=_("Receives"))
    def choices(self, obj):
        return obj.choices_summary()

    @admin.action(description=_("Export the selected subscribers' data (JSON)"))
    def export_data(self, request, queryset):
        data = [subscriber_data(s) for s in queryset]
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
            content_type="application/json",
        )
        response["Content-Disposition"] = 'attachment; filename="subscriber-data.json"'
        return response

    @admin.action(description=_("Erase the selected subscribers and their mail records"))
    def erase(self, request, queryset):
        count = queryset.count()
        with transaction.atomic():
            Delivery.objects.filter(subscriber__in=queryset).delete()
            queryset.delete()
        self.message_user(
            request,
            _("Erased %(count)s subscriber(s) and every record of their mail.") % {"count": count},
        )


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ("subscriber", "status", "attempts", "sent_at", "language", "last_error")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    max_num = 0

    def get_queryset(self, request):
        # The report lists what needs a look: failures and what is still waiting.
        return (
            super()
            .get_queryset(request)
            .exclude(status=Delivery.Status.SENT)
            .select_related("subscriber")
        )


@admin.register(Mailing)
class MailingAdmin(admin.ModelAdmin):
    """The delivery report: one row per release announced (or update sent)."""

    list_display = ("release", "occasion", "created_at", "queued", "sent", "failed")
    list_filter = ("occasion",)
    search_fields = ("release__title",)
    readonly_fields = ("release", "occasion", "change_note", "created_at", "report")
    inlines = [DeliveryInline]
    actions = ("resend",)

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        counts = {
            name: Count("deliveries", filter=Q(deliveries__status=status))
            for name, status in (
                ("n_queued", Delivery.Status.QUEUED),
                ("n_sent", Delivery.Status.SENT),
                ("n_failed", Delivery.Status.FAILED),
            )
        }
        return super().get_queryset(request).select_related("release").annotate(**counts)

    @admin.display(description=_("Queued"), ordering="n_queued")
    def queued(self, obj):
        return obj.n_queued

    @admin.display(description=_("Sent"), ordering="n_sent")
    def sent(self, obj):
        return obj.n_sent

    @admin.display(description=_("Failed"), ordering="n_failed")
    def failed(self, obj):
        return obj.n_failed

    @admin.display(description=_("Deliveries"))
    def report(self, obj):
        rows = obj.deliveries.values("status").annotate(n=Count("pk")).order_by("status")
        return ", ".join(f"{r['n']} {Delivery.Status(r['status']).label.lower()}" for r in rows)

    @admin.action(description=_("Resend to the failed addresses"))
    def resend(self, request, queryset):
        count = 0
        for mailing in queryset:
            queued = delivery.resend_failures(mailing)
            tasks.queue_sending(queued)
            count += len(queued)
        self.message_user(
            request, _("%(count)s failed deliveries queued again.") % {"count": count}
        )


@admin.register(AccreditedJournalist)
class AccreditedJournalistAdmin(admin.ModelAdmin):
    formfield_overrides = WORKSPACE_FIELDS
    list_display = ("name", "outlet", "email", "language", "accredited_until", "accredited_by")
    search_fields = ("name", "outlet", "email")
    list_filter = ("language",)
    readonly_fields = ("accredited_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.accredited_by = request.user
        super().save_model(request, obj, form, change)


class AdvanceCopyForm(forms.Form):
    release = forms.ModelChoiceField(
        queryset=Release.objects.none(),
        help_text=_("A scheduled release: the copy is embargoed until its go-live time."),
    )
    journalists = forms.ModelMultipleChoiceField(
        queryset=AccreditedJournalist.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["release"].queryset = Release.objects.filter(
            status="published", publish_at__gt=timezone.now()
        ).order_by("publish_at")
        self.fields["release"].label_from_instance = lambda r: (
            f"{r.title} — goes live {astana_and_utc(r.publish_at)}"
        )
        self.fields["journalists"].queryset = AccreditedJournalist.current()


@admin.register(AdvanceCopy)
class AdvanceCopyAdmin(admin.ModelAdmin):
    """Sending embargoed copies: the add page sends one to each journalist chosen."""

    list_display = ("release", "journalist", "embargo", "sent_at", "cancelled_at", "error")
    list_filter = ("sent_at", "cancelled_at")
    search_fields = ("release__title", "journalist__name", "journalist__outlet")
    list_select_related = ("release", "journalist")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return request.user.has_perm("releases.publish_release")

    @admin.display(description=_("Embargoed until"), ordering="embargo_until")
    def embargo(self, obj):
        return astana_and_utc(obj.embargo_until)

    @admin.display(description=_("Problem"))
    def error(self, obj):
        return (
            format_html("<span class='errornote'>{}</span>", obj.last_error)
            if obj.last_error
            else ""
        )

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            return self.changelist_view(request)
        form = AdvanceCopyForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            release = form.cleaned_data["release"]
            with transaction.atomic():
                copies = []
                for journalist in form.cleaned_data["journalists"]:
                    link = PreviewLink.objects.create(
                        release=release,
                        label=f"Advance copy: {journalist.name}, {journalist.outlet}"[:200],
                        created_by=request.user,
                        token=PreviewLink.new_token(),
                        expires_at=release.publish_at,
                    )
                    copies.append(
                        AdvanceCopy.objects.create(
                            release=release,
                            journalist=journalist,
                            preview_link=link,
                            embargo_until=release.publish_at,
                            sent_by=request.user,
                        )
                    )
                ids = [c.pk for c in copies]
                transaction.on_commit(lambda: tasks.send_advance_copies.enqueue(ids))
            self.message_user(
                request,
                _(
                    "Embargoed copies of “%(release)s” are being sent to %(count)s "
                    "journalist(s); each is logged in the release's editorial log once sent."
                )
                % {"release": release, "count": len(ids)},
                messages.SUCCESS,
            )
            return self.response_post_save_add(request, copies[0] if copies else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send an embargoed advance copy"),
            "form": form,
            "opts": self.model._meta,
        }
        return self.render_advance_form(request, context)

    def render_advance_form(self, request, context):
        from django.template.response import TemplateResponse

        return TemplateResponse(request, "admin/alerts/advance_copy_form.html", context)


def days_written(days: list[str]) -> list[str]:
    """ISO dates as the reader's language writes them ("27 December 2026")."""
    return [date_format(datetime.date.fromisoformat(day), "DATE_FORMAT") for day in days]


class AccreditationDecisionForm(forms.ModelForm):
    class Meta:
        model = AccreditationRequest
        fields = ("status", "reason")

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        needs_reason = (AccreditationRequest.Status.REFUSED, AccreditationRequest.Status.MORE)
        if status in needs_reason and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason",
                _("Say why, or what is missing: the applicant receives it by e-mail."),
            )
        return cleaned


def decide(request, accreditation, status, reason="") -> None:
    """Record the decision and, once committed, mail it to the applicant."""
    accreditation.status, accreditation.reason = status, reason or accreditation.reason
    accreditation.decided_by, accreditation.decided_at = request.user, timezone.now()
    accreditation.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    pk = accreditation.pk
    transaction.on_commit(lambda: tasks.send_accreditation_mail.enqueue(pk, status))


@admin.register(AccreditationRequest)
class AccreditationRequestAdmin(admin.ModelAdmin):
    """The press office decides on each request (approve; refuse or ask for more, saying why);
    each decision is mailed to the applicant in their language. Exports: the approved list as
    CSV and a printable badge sheet."""

    form = AccreditationDecisionForm
    list_display = ("name", "outlet", "role", "country", "event", "status", "created_at")
    list_filter = ("status", ("event", admin.RelatedOnlyFieldListFilter), "role")
    search_fields = ("name", "outlet", "email")
    list_select_related = ("event",)
    date_hierarchy = "created_at"
    actions = ["approve", "approve_and_accredit", "export_csv", "badge_sheet"]
    readonly_fields = (
        "event", "name", "outlet", "role", "country", "email", "phone", "press_card_link",
        "photo_preview", "days_attending", "language", "created_at", "decided_by", "decided_at",
        "forget_after",
    )  # fmt: skip
    fieldsets = (
        (
            _("Applicant"),
            {
                "fields": (
                    "event",
                    "name",
                    "outlet",
                    "role",
                    "country",
                    "email",
                    "phone",
                    "language",
                    "days_attending",
                    "created_at",
                    "forget_after",
                )  # fmt: skip
            },
        ),
        (_("Files"), {"fields": ("press_card_link", "photo_preview")}),
        (_("Decision"), {"fields": ("status", "reason", "decided_by", "decided_at")}),
    )

    def has_add_permission(self, request):
        return False  # journalists apply on the event's page

    def get_urls(self):
        from django.urls import path

        return [
            path(
                "<int:pk>/file/<str:which>/",
                self.admin_site.admin_view(self.file_view),
                name="alerts_accreditationrequest_file",
            )
        ] + super().get_urls()

    def file_view(self, request, pk, which):
        """A request's press card or photo, for the press office only (never a public URL)."""
        from django.http import FileResponse, Http404, HttpResponseRedirect

        accreditation = AccreditationRequest.objects.filter(pk=pk).first()
        if accreditation is None or which not in ("press_card", "photo"):
            raise Http404
        if not self.has_view_permission(request, accreditation):
            raise Http404
        field = getattr(accreditation, which)
        if getattr(field.storage, "querystring_auth", False):
            response = HttpResponseRedirect(field.storage.url(field.name))
        else:
            try:
                response = FileResponse(field.open("rb"))
            except FileNotFoundError:
                raise Http404 from None
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
        return response

    def file_url(self, accreditation, which) -> str:
        from django.urls import reverse

        return reverse(
            "admin:alerts_accreditationrequest_file",
            kwargs={"pk": accreditation.pk, "which": which},
        )

    @admin.display(description=_("press card"))
    def press_card_link(self, accreditation):
        if not accreditation.press_card:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', self.file_url(accreditation, "press_card"), _("Open")
        )

    @admin.display(description=_("photo for the badge"))
    def photo_preview(self, accreditation):
        if not accreditation.photo:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" class="badge-photo">',
            self.file_url(accreditation, "photo"),
            _("Photo of %(name)s") % {"name": accreditation.name},
        )

    @admin.display(description=_("days attending"))
    def days_attending(self, accreditation):
        return ", ".join(days_written(accreditation.days)) or "—"

    def save_model(self, request, obj, form, change):
        if change and {"status", "reason"} & set(form.changed_data):
            decide(request, obj, obj.status, obj.reason)
        else:
            super().save_model(request, obj, form, change)

    @admin.action(description=_("Approve the selected requests"), permissions=["change"])
    def approve(self, request, queryset):
        pending = queryset.exclude(status=AccreditationRequest.Status.APPROVED)
        with transaction.atomic():
            for accreditation in pending:
                decide(request, accreditation, AccreditationRequest.Status.APPROVED)
        self.message_user(
            request, _("%(count)d approved; each applicant is told.") % {"count": len(pending)}
        )

    @admin.action(
        description=_("Approve, and accredit for embargoed advance copies"),
        permissions=["change"],
    )
    def approve_and_accredit(self, request, queryset):
        with transaction.atomic():
            for accreditation in queryset.select_related("event"):
                if accreditation.status != AccreditationRequest.Status.APPROVED:
                    decide(request, accreditation, AccreditationRequest.Status.APPROVED)
                until = accreditation.forget_after
                journalist, made = AccreditedJournalist.objects.get_or_create(
                    email=accreditation.email,
                    defaults={
                        "name": accreditation.name,
                        "outlet": accreditation.outlet,
                        "language": accreditation.language,
                        "accredited_by": request.user,
                        "accredited_until": until,
                    },
                )
                if not made and journalist.accredited_until < until:
                    journalist.accredited_until = until
                    journalist.save(update_fields=["accredited_until"])
        self.message_user(request, _("Approved and accredited for advance copies."))

    @admin.action(description=_("Export the approved as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        import csv

        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="accreditations.csv"'
        response["Cache-Control"] = "private, no-store"
        response.write("\ufeff")  # spreadsheet programs then read UTF-8
        writer = csv.writer(response)
        writer.writerow(["event", "name", "outlet", "role", "country", "email", "phone", "days"])
        approved = queryset.filter(status=AccreditationRequest.Status.APPROVED)
        for row in approved.select_related("event").order_by("event", "name"):
            writer.writerow(
                [
                    row.event.title,
                    row.name,
                    row.outlet,
                    row.get_role_display(),
                    row.country,
                    row.email,
                    row.phone,
                    " ".join(row.days),
                ]  # fmt: skip
            )
        return response

    @admin.action(description=_("Print badges of the approved"), permissions=["view"])
    def badge_sheet(self, request, queryset):
        from django.template.response import TemplateResponse

        approved = queryset.filter(status=AccreditationRequest.Status.APPROVED)
        badges = [
            {
                "request": row,
                "photo_url": self.file_url(row, "photo"),
                "days": days_written(row.days),
            }
            for row in approved.select_related("event").order_by("event", "name")
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Badges"),
            "badges": badges,
            "opts": self.model._meta,
        }
        response = TemplateResponse(request, "admin/alerts/badges.html", context)
        response["Cache-Control"] = "private, no-store"
        return response


class DigestDeliveryInline(admin.TabularInline):
    model = DigestDelivery
    fields = ("subscriber", "releases", "sent_at", "error")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Each period's digest and who got it (made by `send_digests` and the worker)."""

    list_display = ("frequency", "period_start", "period_end", "sent")
    list_filter = ("frequency",)
    readonly_fields = ("frequency", "period_start", "period_end", "created_at", "sent")
    inlines = [DigestDeliveryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
