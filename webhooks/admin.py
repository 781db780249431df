"""The press office's side of webhooks: the consumers' endpoints (events chosen by checkbox,
the signing secret to hand over, a test message, resuming a paused endpoint) and the record of
every message (status, attempts, the last answer; sending one again)."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from . import sending, tasks
from .models import PING, Endpoint, EventType, Message, all_events, new_message_id, new_secret


class EndpointForm(forms.ModelForm):
    url = forms.URLField(
        label=capfirst(_("address")),
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "vURLField"}),
    )
    events = forms.MultipleChoiceField(
        label=capfirst(pgettext_lazy("webhooks", "events")),
        choices=EventType.choices,
        initial=all_events,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The events sent to this address."),
    )

    class Meta:
        model = Endpoint
        fields = ("name", "url", "contact", "events", "active")


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ("name", "url", "state", "delivered", "waiting", "last_delivery")
    list_filter = ("active",)
    search_fields = ("name", "url", "contact")
    readonly_fields = ("secret", "paused_at", "paused_reason", "created_at", "recent_messages")
    actions = ("resume", "send_test", "new_signing_secret")

    def get_fieldsets(self, request, obj=None):
        fields = ["name", "url", "contact", "events", "active"]
        if obj is not None:
            fields += ["secret", "paused_at", "paused_reason", "created_at", "recent_messages"]
        return [(None, {"fields": fields})]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_delivered=Count("messages", filter=Q(messages__status="delivered")),
                n_waiting=Count(
                    "messages", filter=Q(messages__status__in=["queued", "sending", "held"])
                ),
                last_delivered_at=Max("messages__delivered_at"),
            )
        )

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.active:
            return _("active")
        return _("paused") if obj.paused_at else _("switched off")

    @admin.display(description=_("delivered"), ordering="n_delivered")
    def delivered(self, obj):
        return obj.n_delivered

    @admin.display(description=_("waiting"), ordering="n_waiting")
    def waiting(self, obj):
        return obj.n_waiting

    @admin.display(description=_("last delivery"), ordering="last_delivered_at")
    def last_delivery(self, obj):
        return obj.last_delivered_at

    @admin.display(description=_("last 20 messages"))
    def recent_messages(self, obj):
        rows = obj.messages.order_by("-created_at", "-pk")[:20]
        if not rows:
            return _("None yet.")
        return format_html(
            "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<th scope='col'>{}</th>",
                ((h,) for h in (_("created at"), _("event"), _("status"), _("last answer"))),
            ),
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                (
                    (
                        date_format(timezone.localtime(m.created_at), "DATETIME_FORMAT"),
                        m.event,
                        m.get_status_display(),
                        m.last_status_code or m.last_error or "-",
                    )
                    for m in rows
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            self.message_user(
                request,
                _("Give the consumer this signing secret (it is also on this page): %s")
                % obj.secret,
                messages.WARNING,
            )

    @admin.action(description=_("Resume the selected (send what waited)"), permissions=["change"])
    def resume(self, request, queryset):
        queued = []
        with transaction.atomic():
            for endpoint in queryset:
                queued += sending.resume(endpoint)
            transaction.on_commit(lambda: tasks.queue_sending(queued))
        self.message_user(
            request,
            ngettext("%d message queued.", "%d messages queued.", len(queued)) % len(queued),
        )

    @admin.action(description=_("Send a test message"), permissions=["change"])
    def send_test(self, request, queryset):
        made = []
        with transaction.atomic():
            for endpoint in queryset.filter(active=True):
                message_id = new_message_id()
                message = Message.objects.create(
                    endpoint=endpoint,
                    event=PING,
                    occurrence=f"ping:{message_id}",
                    message_id=message_id,
                    payload={
                        "id": message_id,
                        "type": PING,
                        "timestamp": timezone.now().isoformat(),
                        "data": {"endpoint": endpoint.name},
                    },
                )
                made.append(message.pk)
            transaction.on_commit(lambda: tasks.queue_sending(made))
        self.message_user(request, _("Test messages queued: %d.") % len(made))

    @admin.action(description=_("Make a new signing secret"), permissions=["change"])
    def new_signing_secret(self, request, queryset):
        for endpoint in queryset:
            endpoint.secret = new_secret()
            endpoint.save(update_fields=["secret"])
        self.message_user(
            request,
            _("New secrets made: the consumers need them before the next message verifies."),
            messages.WARNING,
        )


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = (
        "event", "endpoint", "status", "attempts", "last_status_code", "created_at", "delivered_at",
    )  # fmt: skip
    list_filter = ("status", "event", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("message_id", "occurrence")
    readonly_fields = (
        "endpoint", "event", "occurrence", "message_id", "payload", "created_at", "status",
        "attempts", "next_attempt_at", "last_status_code", "last_error", "delivered_at",
    )  # fmt: skip
    exclude = ("claim",)
    actions = ("send_again",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected again"), permissions=["view"])
    def send_again(self, request, queryset):
        ids = list(
            queryset.filter(endpoint__active=True)
            .exclude(status=Message.Status.SENDING)
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=ids).update(
            status=Message.Status.QUEUED, attempts=0, next_attempt_at=None
        )
        tasks.queue_sending(ids)
        self.message_user(request, _("Queued again: %d.") % len(ids))
