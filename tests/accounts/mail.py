"""Reading the links out of the mail allauth sends."""

import re
from urllib.parse import urlsplit

_LINK = re.compile(r"https?://\S+")


def link_in(body: str, path_prefix: str) -> str:
    """The path of the first link in `body` whose path starts with `path_prefix`."""
    for url in _LINK.findall(body):
        path = urlsplit(url).path
        if path.startswith(path_prefix):
            return path
    raise AssertionError(f"no link to {path_prefix} in:\n{body}")
