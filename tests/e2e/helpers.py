"""Helpers for the browser tests: a mailbox for aiosmtpd, a probe for browser errors, axe-core, log-in."""

from __future__ import annotations

import email
import time
from email import policy
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "correct horse battery"


class Mailbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"

    def wait_for(self, to: str, timeout: float = 10) -> email.message.EmailMessage:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if to in message["To"]:
                    return message
            time.sleep(0.05)
        raise AssertionError(f"no mail to {to} within {timeout}s; got {[m['To'] for m in self.messages]}")

    @staticmethod
    def text(message) -> str:
        part = message.get_body(preferencelist=("plain", "html"))
        return part.get_content()


class Probe:
    """What went wrong in the browser while a test ran: console errors, page errors, CSP violations."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.csp_violations: list[str] = []
        self.allowed: tuple[str, ...] = ()

    def allow(self, *fragments: str) -> None:
        """Expect console errors containing these, such as the status of a form refused on purpose."""
        self.allowed += fragments

    def watch(self, page) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(f"{page.url}: {msg.text}"))
        page.on("pageerror", lambda exc: self.page_errors.append(f"{page.url}: {exc}"))

    def problems(self) -> list[str]:
        console = [e for e in self.console_errors if not any(fragment in e for fragment in self.allowed)]
        return console + self.page_errors + self.csp_violations

    def assert_clean(self) -> None:
        assert not self.problems(), "\n".join(self.problems())


def run_axe(page) -> list[dict]:
    """Run axe-core on the page (evaluated through the DevTools protocol, so our CSP does not apply)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_JS.read_text())
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ['violations']});
          return result.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
          }));
        }"""
    )


def log_in(page, site: str, login: str, password: str = PASSWORD) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("form[action='/accounts/logout/']").count() == 1, f"not logged in at {page.url}"


def verified_user(**fields):
    """A member with a verified email address, who can log in under mandatory verification."""
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email.lower(), verified=True, primary=True)
    return user
