"""The languages a reader reads, in order: what lists put first and which translation a reader lands on."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation.trans_real import parse_accept_lang_header

from agora.core.languages import normalize_content_language


def reader_languages(request: HttpRequest) -> list[str]:
    """Content language codes, most preferred first: a member's own list (preferences), the interface
    language when the reader chose it (switcher or preference), the browser's Accept-Language, then the
    interface language. Never empty."""
    codes: list[str] = []
    user = getattr(request, "user", None)
    interface = get_language() or "en"
    if user is not None and user.is_authenticated:
        codes += list(getattr(user, "language_list", []) or [])
        if getattr(user, "interface_language", ""):
            codes.append(interface)
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        codes.append(interface)
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", ""))[:8]:
        if tag != "*":
            codes.append(tag)
    codes.append(interface)
    known: list[str] = []
    for code in codes:
        for candidate in (code, code.split("-")[0]):
            normal = normalize_content_language(candidate)
            if normal and normal not in known:
                known.append(normal)
                break
    return known or ["en"]
