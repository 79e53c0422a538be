"""A real HTTP receiver on 127.0.0.1, in a thread of the test process, and helpers."""

import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from webhooks.models import Endpoint

DOCS = Path(__file__).resolve().parents[2] / "docs" / "webhooks.md"


def documented_verifier():
    """`verify_tanya_signature` exactly as docs/webhooks.md prints it, run from the file."""
    text = DOCS.read_text()
    section = text.split("## Verifying a delivery", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, str(DOCS), "exec"), namespace)  # noqa: S102 (our own documentation)
    return namespace["verify_tanya_signature"]


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes


@dataclass
class Receiver:
    port: int = 0
    # What to answer, one status per request in order; the last one repeats.
    statuses: list = field(default_factory=lambda: [200])
    delay: float = 0.0
    extra_headers: dict = field(default_factory=dict)
    requests: list = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/tanya"

    def url_on(self, host: str) -> str:
        return f"http://{host}:{self.port}/hooks/tanya"


@pytest.fixture
def receiver(settings):
    """Listens on 127.0.0.1 (so the guard must be told to allow private addresses)."""
    settings.TANYA_WEBHOOKS_ALLOW_PRIVATE = True
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", 0))
            body = self.rfile.read(length)
            state.requests.append(Received(self.path, dict(self.headers.items()), body))
            if state.delay:
                time.sleep(state.delay)
            index = min(len(state.requests), len(state.statuses)) - 1
            status = state.statuses[index]
            self.send_response(status)
            for name, value in state.extra_headers.items():
                self.send_header(name, value)
            if 300 <= status < 400:
                self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def endpoint_for(receiver):
    def make(*event_types, url=None, **kwargs) -> Endpoint:
        return Endpoint.objects.create(
            name="Help desk",
            url=url or receiver.url,
            event_types=list(event_types),
            **kwargs,
        )

    return make


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run a write and its after-commit work (event delivery, the webhook task)."""

    def run_(write, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return write(*args, **kwargs)

    return run_
