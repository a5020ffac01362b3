"""Real HTTP servers for the ops tests, each on a free port in a thread of the
test: an email service speaking Mailgun's and Postmark's sending APIs, and an
error-report ingest speaking Sentry's envelope endpoint. Each keeps what it
was sent, decoded, for the test to read.

The email service answers by recipient, as the real ones do for such
addresses: `inactive@...` is refused by Postmark as an inactive recipient
(422, error 406); `not-an-address@...` gets Mailgun's 400; and the next
`fail_next` messages get a 503, as during an outage.
"""

from __future__ import annotations

import email.parser
import email.policy
import gzip
import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.received: list[dict[str, Any]] = []
        self.fail_next = 0
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def body(self) -> bytes:
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        encoding = (self.headers.get("Content-Encoding") or "").lower()
        if encoding == "gzip":
            return gzip.decompress(raw)
        if encoding == "br":
            import brotli

            return brotli.decompress(raw)
        return raw

    def answer(self, status: int, payload: dict) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def outage(self) -> bool:
        with self.server.lock:
            if self.server.fail_next > 0:
                self.server.fail_next -= 1
                return True
        return False


class EmailServiceHandler(_Handler):
    def do_POST(self) -> None:
        body = self.body()
        if self.path.startswith("/v3/") and self.path.endswith("/messages"):
            self.mailgun(body)
        elif self.path == "/email":
            self.postmark(body)
        else:
            self.answer(404, {"message": "not found"})

    def mailgun(self, body: bytes) -> None:
        content_type = self.headers.get("Content-Type", "")
        if content_type.startswith("multipart/form-data"):
            head = f"Content-Type: {content_type}\r\n\r\n".encode()
            form = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
            fields = {
                part.get_param("name", header="content-disposition"): part.get_content()
                for part in form.iter_parts()
            }
        else:  # application/x-www-form-urlencoded, without attachments
            fields = dict(parse_qsl(body.decode(), keep_blank_values=True))
        to = fields.get("to", "")
        self.server.received.append(
            {
                "api": "mailgun",
                "path": self.path,
                "auth": self.headers.get("Authorization", ""),
                "to": to,
                "from": fields.get("from", ""),
                "subject": fields.get("subject", ""),
                "text": fields.get("text", ""),
            }
        )
        if self.outage():
            self.answer(503, {"message": "Service Unavailable"})
        elif to.startswith("not-an-address"):
            self.answer(400, {"message": "to parameter is not a valid address"})
        else:
            message_id = f"<{uuid.uuid4().hex}@{self.path.split('/')[2]}>"
            self.answer(200, {"id": message_id, "message": "Queued. Thank you."})

    def postmark(self, body: bytes) -> None:
        data = json.loads(body)
        to = data.get("To", "")
        self.server.received.append(
            {
                "api": "postmark",
                "path": self.path,
                "token": self.headers.get("X-Postmark-Server-Token", ""),
                "to": to,
                "from": data.get("From", ""),
                "subject": data.get("Subject", ""),
                "text": data.get("TextBody", ""),
            }
        )
        if self.outage():
            self.answer(500, {"ErrorCode": 500, "Message": "Internal server error"})
        elif to.startswith("inactive@"):
            self.answer(
                422,
                {
                    "ErrorCode": 406,
                    "Message": "You tried to send to a recipient that has been marked as "
                    f"inactive.\nFound inactive addresses: {to}.\nInactive recipients are "
                    "ones that have generated a hard bounce or a spam complaint. ",
                },
            )
        else:
            self.answer(
                200,
                {
                    "To": to,
                    "SubmittedAt": "2026-12-02T17:00:00.0000000Z",
                    "MessageID": str(uuid.uuid4()),
                    "ErrorCode": 0,
                    "Message": "OK",
                },
            )


class SentryIngestHandler(_Handler):
    """POST /api/<project>/envelope/: each envelope's items, parsed."""

    def do_POST(self) -> None:
        raw = self.body()
        lines = raw.split(b"\n")
        items = []
        for line in lines[1:]:
            line = line.strip()
            if line.startswith(b"{"):
                try:
                    items.append(json.loads(line))
                except ValueError:
                    continue
        self.server.received.append(
            {"path": self.path, "raw": raw.decode("utf-8", "replace"), "items": items}
        )
        self.answer(200, {"id": uuid.uuid4().hex})


@contextmanager
def running(handler: type[BaseHTTPRequestHandler]) -> Iterator[Recorder]:
    server = Recorder(handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
