"""Register a consumer's endpoint from the shell; its signing secret is printed once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from webhooks.models import Endpoint, EventType


class Command(BaseCommand):
    help = "Register a webhook endpoint (https://...) and print its signing secret once."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The consumer's HTTPS address.")
        parser.add_argument("--name", help="Whose system it is (default: the address's host).")
        parser.add_argument("--contact", default="", help="Who to tell when it fails.")
        parser.add_argument(
            "--events",
            default=",".join(EventType.values),
            help=f"Comma-separated, of: {', '.join(EventType.values)} (default: all).",
        )

    def handle(self, *args, url, name, contact, events, **options):
        chosen = [e.strip() for e in events.split(",") if e.strip()]
        endpoint = Endpoint(name=name or url.split("/")[2], url=url, contact=contact, events=chosen)
        try:
            endpoint.full_clean()
        except ValidationError as error:
            problems = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise CommandError(problems) from None
        endpoint.save()
        self.stdout.write(f"Endpoint {endpoint.pk} registered for {', '.join(chosen)}.")
        self.stdout.write(
            f"Signing secret (shown once; give it to the consumer): {endpoint.secret}"
        )
