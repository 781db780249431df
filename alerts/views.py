"""The public pages of alerts: subscribe, confirm, change preferences, unsubscribe (also the
RFC 8058 one-click POST a mail program sends). Never cached; the token pages send their
address to no other site."""

import datetime

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from releases.models import Event

from . import tokens
from .forms import AccreditationForm, ChoicesForm, SubscribeForm
from .models import AccreditationRequest, SignupAttempt, Subscriber, new_key
from .tasks import send_accreditation_mail, send_subscriber_mail


def client_address(request) -> str:
    """The visitor's address; behind DJANGO_PROXY_COUNT proxies, from X-Forwarded-For."""
    count = settings.AXES_IPWARE_PROXY_COUNT
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [h for h in hops if h]
    if count and len(hops) >= count:
        return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def private(response):
    response["Cache-Control"] = "private, no-store"
    # The token in the address goes to no other site; same-origin keeps the form's CSRF
    # origin check working (with no-referrer, browsers send "Origin: null").
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@method_decorator(never_cache, name="dispatch")
class SubscribeView(View):
    template_name = "alerts/subscribe.html"

    def get(self, request):
        form = SubscribeForm(initial={"language": request.LANGUAGE_CODE, "scope": "all"})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        now = timezone.now()
        client = SignupAttempt.digest(client_address(request))
        recent = SignupAttempt.objects.filter(at__gte=now - datetime.timedelta(hours=1))
        if recent.filter(client=client).count() >= settings.ALERTS_SIGNUPS_PER_CLIENT_HOUR:
            response = render(request, "alerts/too_many.html", status=429)
            response["Retry-After"] = "3600"
            return response
        form = SubscribeForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        address = SignupAttempt.digest(form.cleaned_data["email"])
        SignupAttempt.objects.create(client=client, address=address, at=now)
        day = SignupAttempt.objects.filter(
            address=address, at__gte=now - datetime.timedelta(days=1)
        )
        # The same answer whatever happens next: nobody learns whether the address subscribes.
        if not form.looks_automated() and day.count() <= settings.ALERTS_SIGNUPS_PER_ADDRESS_DAY:
            self.sign_up(form)
        return redirect("alerts:sent")

    @transaction.atomic
    def sign_up(self, form):
        email = form.cleaned_data["email"]
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is not None and subscriber.status == Subscriber.Status.ACTIVE:
            # Someone entered an address that already subscribes: its choices stay as its
            # owner set them; the owner gets a mail with their own links.
            kind = "reminder"
        else:
            if subscriber is None:
                subscriber = Subscriber(email=email)
            elif subscriber.status != Subscriber.Status.PENDING:
                subscriber.key = new_key()  # the old links stay void
            subscriber.status = Subscriber.Status.PENDING
            subscriber.created_at = timezone.now()
            form.apply(subscriber)
            kind = "confirm"
        pk = subscriber.pk
        transaction.on_commit(lambda: send_subscriber_mail.enqueue(pk, kind))


@never_cache
def sent(request):
    return render(request, "alerts/sent.html")


class TokenView(View):
    purpose = tokens.MANAGE

    def dispatch(self, request, token):
        self.subscriber = tokens.read(token, self.purpose)
        if (
            self.subscriber is None
            or self.subscriber.status == Subscriber.Status.PENDING
            and (self.purpose == tokens.MANAGE)
        ):
            return private(render(request, "alerts/bad_link.html", status=404))
        return private(super().dispatch(request, token))


class ConfirmView(TokenView):
    """The link in the confirmation mail shows a button (a mail scanner's GET subscribes
    nobody); pressing it subscribes."""

    purpose = tokens.CONFIRM

    def get(self, request, token):
        if self.subscriber.status == Subscriber.Status.ACTIVE:
            return self.done(request)
        return render(request, "alerts/confirm.html", {"subscriber": self.subscriber})

    def post(self, request, token):
        subscriber = self.subscriber
        if subscriber.status == Subscriber.Status.PENDING:
            subscriber.status = Subscriber.Status.ACTIVE
            subscriber.confirmed_at = timezone.now()
            subscriber.hard_failures = 0
            subscriber.save(update_fields=["status", "confirmed_at", "hard_failures"])
        return self.done(request)

    def done(self, request):
        manage = tokens.make(self.subscriber, tokens.MANAGE)
        return render(
            request, "alerts/confirmed.html", {"subscriber": self.subscriber, "token": manage}
        )


class PreferencesView(TokenView):
    def get(self, request, token):
        form = ChoicesForm(initial=ChoicesForm.initial_for(self.subscriber))
        return self.page(request, token, form)

    def post(self, request, token):
        form = ChoicesForm(request.POST)
        if not form.is_valid():
            return self.page(request, token, form, status=400)
        # Kept even for an unsubscribed address (the page says so): subscribing again goes
        # through the form and a new confirmation.
        form.apply(self.subscriber)
        return self.page(request, token, form, saved=True)

    def page(self, request, token, form, status=200, saved=False):
        context = {"form": form, "subscriber": self.subscriber, "token": token, "saved": saved}
        return render(request, "alerts/preferences.html", context, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(TokenView):
    """GET: a page with the button. POST (that button, or a mail program's RFC 8058 one-click
    request with the body List-Unsubscribe=One-Click): unsubscribed at once. The token is the
    credential, so no CSRF token is asked for."""

    def get(self, request, token):
        return render(request, "alerts/unsubscribe.html", {"subscriber": self.subscriber})

    def post(self, request, token):
        Subscriber.objects.filter(pk=self.subscriber.pk).exclude(
            status=Subscriber.Status.UNSUBSCRIBED
        ).update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
        return render(request, "alerts/unsubscribed.html", {"subscriber": self.subscriber})


def accreditation_event(slug: str):
    """The public event at `slug` and the event requests are kept under (its original, for a
    language version); Http404 if none."""
    event = Event.objects.public().filter(slug=slug).first()
    if event is None:
        raise Http404("No such event.")
    if event.accreditation_deadline is None:
        raise Http404("No accreditation for this event.")
    # Requests to each language version are kept under the original (one list to decide on).
    return event, (event.translation_of if event.translation_of_id else event)


@method_decorator(never_cache, name="dispatch")
class AccreditationView(View):
    """An upcoming event's media accreditation form; the press office decides in the admin."""

    template_name = "alerts/accreditation.html"

    def dispatch(self, request, slug):
        self.event, self.original = accreditation_event(slug)
        if not self.event.accreditation_open():
            context = {"event": self.event, "deadline": self.event.accreditation_deadline}
            return private(render(request, "alerts/accreditation_closed.html", context))
        return private(super().dispatch(request, slug))

    def context(self, form) -> dict:
        return {
            "form": form,
            "event": self.event,
            "deadline": self.event.accreditation_deadline,
        }

    def get(self, request, slug):
        form = AccreditationForm(event=self.original)
        return render(request, self.template_name, self.context(form))

    def post(self, request, slug):
        now = timezone.now()
        client = SignupAttempt.digest(client_address(request))
        recent = SignupAttempt.objects.filter(
            client=client, at__gte=now - datetime.timedelta(hours=1)
        )
        if recent.count() >= settings.ACCREDITATION_REQUESTS_PER_CLIENT_HOUR:
            response = render(request, "alerts/too_many.html", status=429)
            response["Retry-After"] = "3600"
            return response
        form = AccreditationForm(request.POST, request.FILES, event=self.original)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        SignupAttempt.objects.create(
            client=client, address=SignupAttempt.digest(form.cleaned_data["email"]), at=now
        )
        if not form.looks_automated():
            self.keep(form, request.LANGUAGE_CODE)
        return redirect("alerts:accreditation-received", slug=slug)

    @transaction.atomic
    def keep(self, form, language: str) -> None:
        data = form.cleaned_data
        last_day = self.original.last_day or self.event.accreditation_deadline.date()
        accreditation = AccreditationRequest.objects.create(
            event=self.original,
            name=data["name"],
            outlet=data["outlet"],
            role=data["role"],
            country=data["country"],
            email=data["email"],
            phone=data["phone"],
            press_card=data["press_card"],
            photo=data["photo"],
            days=sorted(data.get("days", [])),
            language=language,
            forget_after=last_day + datetime.timedelta(days=settings.ACCREDITATION_RETENTION_DAYS),
        )
        pk = accreditation.pk
        transaction.on_commit(lambda: send_accreditation_mail.enqueue(pk, "received"))


@never_cache
def accreditation_received(request, slug):
    event, _original = accreditation_event(slug)
    return private(render(request, "alerts/accreditation_received.html", {"event": event}))
