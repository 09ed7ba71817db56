"""Browser tests: Playwright for Python driving Debian's chromium against pytest-django's live server.

Mail goes through a real SMTP server (aiosmtpd on 127.0.0.1), so the journey reads the very
message a person would get. Every page of a context made by `open_context` records console errors,
uncaught exceptions and Content-Security-Policy violations; `assert_clean()` fails on any.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path

import pytest

from tests.e2e.helpers import Mailbox, Probe


def _serve_one_request_at_a_time() -> None:
    """The live server answers one request at a time. On SQLite the test's in-memory database is one
    connection the server's threads share, and two requests at once (a page and its images, the
    day's trust run) tangled each other's transactions: savepoints vanished and a once-a-day row was
    claimed twice. Django's single-threaded server closes each connection after its answer, so the
    browser's parallel requests simply queue."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class SerialWSGIServer(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            # LiveServerThread.run already gave its own thread the test's connections.
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = SerialWSGIServer


_serve_one_request_at_a_time()

CHROMIUM = Path(os.environ.get("AGORA_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]

# Runs in every page before its own scripts: report CSP violations to the test through a binding.
_CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (e) => {
  const report = `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`;
  if (window.__agoraCspViolation) window.__agoraCspViolation(report);
});
"""


@pytest.fixture(scope="package")
def browser(django_db_setup):
    """One chromium for the e2e package; skipped (with the reason) where chromium is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run e2e tests")
    from django.db import connections
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread. While it does, Django
    # takes the tests' own (synchronous) ORM calls for async ones, so allow them; and asgiref
    # hands out fresh per-context connections, which lack the copy of the migrated data that
    # serialized_rollback restores after each test's flush, so give it to them.
    migrated = {
        c.alias: c._test_serialized_contents for c in connections.all() if hasattr(c, "_test_serialized_contents")
    }
    env = pytest.MonkeyPatch()
    env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as playwright:
            for alias, contents in migrated.items():
                if contents is not None:
                    connections[alias]._test_serialized_contents = contents
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        env.undo()


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="package")
def smtp_server():
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """Point Django's SMTP backend at the local server (the live server thread reads the same settings)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = smtp_server.hostname
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    smtp_server.handler.messages.clear()
    return smtp_server.handler


@pytest.fixture
def open_context(browser):
    """Make browser contexts (JavaScript on or off) that report CSP violations and console errors."""
    contexts = []

    def make(*, javascript: bool = True, report_reading: bool = False, **options):
        options.setdefault("locale", "en-GB")
        context = browser.new_context(java_script_enabled=javascript, **options)
        context.set_default_timeout(10_000)
        if not report_reading:
            # reading.js reports when a page is left, closing included: a report reaching the server after
            # the test would write while the database is flushed. Tests of reading opt in.
            # Reports sent as a page unloads (a beacon, a keepalive fetch) escape Playwright's routes, so
            # the script is not served at all.
            context.route("**/agora/reading*.js", lambda route: route.fulfill(body="", content_type="text/javascript"))
        probe = Probe()
        context.expose_function("__agoraCspViolation", lambda report: probe.csp_violations.append(report))
        context.add_init_script(_CSP_LISTENER)
        context.on("page", probe.watch)
        context.probe = probe
        contexts.append(context)
        return context

    yield make
    from playwright.sync_api import Error as PlaywrightError

    for context in contexts:
        # Leave each page while the context's routes still answer: reading.js reports as a page is left,
        # and a report let through by a closing context would reach the server after the test.
        for page in context.pages:
            with contextlib.suppress(PlaywrightError):  # a page already gone or still loading
                page.goto("about:blank")
        context.close()


@pytest.fixture
def site(live_server):
    """The live server's address, with the automatic groups and 'General' category the migrations made."""
    from agora.groups.models import Group

    assert Group.objects.filter(name="everyone").exists(), "the migrated data was not restored"
    return live_server.url
