"""A real SMTP server on loopback for the tests (aiosmtpd), keeping what it receives; it can
answer chosen recipients with a temporary (4xx) or permanent (5xx) refusal."""

import email
import email.policy
import socket

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Sink:
    def __init__(self):
        self.messages = []
        self.refuse = {}  # address -> "450 ..." or "550 ..."

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        answer = self.refuse.get(address.lower())
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]

    def text(self, message) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()

    def html(self, message) -> str:
        return message.get_body(preferencelist=("html",)).get_content()


def start() -> tuple[Controller, Sink]:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller, sink
