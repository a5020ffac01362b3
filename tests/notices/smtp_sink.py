"""A real mail server for the tests, run in a subprocess:

    python tests/notices/smtp_sink.py PORT LOG STALL_AT

It appends one JSON line to LOG per event: {"event": "rcpt", "to": ...} when a
client offers a recipient, and {"event": "data", "to": [...], "subject": ...}
once it has accepted a message. It is slow to accept recipient number
STALL_AT (counting from 1, once): it waits a minute before answering, so a
client sending it is caught mid-send, its earlier messages delivered.
"""

from __future__ import annotations

import asyncio
import email
import json
import sys
import time

from aiosmtpd.controller import Controller

STALL_SECONDS = 60


class Sink:
    def __init__(self, log: str, stall_at: int) -> None:
        self.log = log
        self.stall_at = stall_at
        self.offered = 0

    def write(self, **event) -> None:
        with open(self.log, "a", encoding="utf-8") as file:
            file.write(json.dumps(event) + "\n")

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.offered += 1
        self.write(event="rcpt", to=address)
        if self.offered == self.stall_at:
            await asyncio.sleep(STALL_SECONDS)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.write(event="data", to=envelope.rcpt_tos, subject=message["Subject"])
        return "250 Message accepted for delivery"


def main() -> None:
    port, log, stall_at = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    controller = Controller(Sink(log, stall_at), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
