"""What a silenced or suspended person is told, in one wording wherever they meet it (composers, the
sign-in form, the moderator panel): until when, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from agora.core.when import when_text


def _when(until: datetime) -> str:
    return when_text(until, "datetime")


def silence_notice(user: Any) -> str:
    """ "You are silenced until <date>: <reason>", or "" for someone who is not silenced."""
    if user is None or not getattr(user, "is_silenced", False):
        return ""
    return _("You are silenced until %(until)s: %(reason)s") % {
        "until": _when(user.silenced_until),
        "reason": user.silence_reason,
    }


def suspension_notice(user: Any) -> str:
    """ "Your account is suspended until <date>: <reason>", or "" for someone who is not suspended."""
    if user is None or not getattr(user, "is_suspended", False):
        return ""
    return _("Your account is suspended until %(until)s: %(reason)s") % {
        "until": _when(user.suspended_until),
        "reason": user.suspend_reason,
    }
