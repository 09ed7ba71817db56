"""Images by address in user content, served from our origin: rendered Markdown points them at
/img/remote/<token>, and that view fetches each image once, checks it like an upload (a real image of
bounded size, re-encoded without metadata), keeps it in our storage and serves it from there. Readers'
browsers never ask the image's host, so an image in a post cannot be a tracking pixel.

The token is the address, signed: nobody can make the server fetch an address that no rendered content
holds. The fetch refuses private, loopback and link-local addresses once the host is resolved (and again
at every redirect), and connects to the address it checked, so a host that resolves differently the
second time (DNS rebinding) gains nothing."""

from __future__ import annotations

import base64
import hashlib
import html
import http.client
import ipaddress
import logging
import re
import socket
import ssl
import time
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from agora.core.images import process_image

if TYPE_CHECKING:
    from .models import RemoteImage

logger = logging.getLogger(__name__)

PATH_PREFIX = "/img/remote/"
_SALT = "agora.remote-image"
MAX_URL_LENGTH = 2048
MAX_REDIRECTS = 3
# An <img> as nh3 writes it: attributes double-quoted, & written &amp;.
_IMG_SRC_RE = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")', re.IGNORECASE)


class FetchError(Exception):
    """The image could not be fetched; the message says why (for the log and the row, not for readers)."""


# --- Rendering: external <img src> to our address ----------------------------------------------------


def _site_host() -> str:
    return (urlsplit(settings.SITE_URL).hostname or "").lower()


def proxied_url(url: str) -> str:
    """Our address for the image at `url`."""
    encoded = base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
    return PATH_PREFIX + signing.Signer(salt=_SALT).sign(encoded)


def url_from_token(token: str) -> str | None:
    """The address a token was made for, or None when it was not made by us (or is malformed)."""
    try:
        encoded = signing.Signer(salt=_SALT).unsign(token)
        return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
    except (signing.BadSignature, ValueError):
        return None


def _is_remote(url: str) -> bool:
    """On another host than ours and than our media storage's (which may be a bucket elsewhere)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname or url.startswith(settings.MEDIA_URL):
        return False
    return parts.hostname.lower() != _site_host()


def rewrite_images(markup: str) -> str:
    """Point every <img> whose address is on another host at our proxy. Already-proxied and local
    addresses are left alone, so running it twice changes nothing."""
    if not settings.AGORA_REMOTE_IMAGES or "<img" not in markup:
        return markup

    def swap(match: re.Match) -> str:
        url = html.unescape(match[2])
        if not _is_remote(url):
            return match[0]
        if len(url) > MAX_URL_LENGTH:
            return match[1] + "" + match[3]  # no address at all rather than a tracking one
        return match[1] + html.escape(proxied_url(url)) + match[3]

    return _IMG_SRC_RE.sub(swap, markup)


# --- Fetching, with the SSRF guard --------------------------------------------------------------------


def _address_allowed(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    networks = [ipaddress.ip_network(n, strict=False) for n in settings.AGORA_REMOTE_IMAGE_ALLOWED_NETWORKS]
    if any(address in network for network in networks):
        return True
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    # is_global is False for private, loopback, link-local, shared (100.64/10), reserved and unspecified
    # addresses; multicast addresses may be "global" yet are no web server.
    return address.is_global and not address.is_multicast


def _resolve(host: str, port: int) -> str:
    """One address of host, checked; refuse the host if any of its addresses is not public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as error:
        raise FetchError(f"cannot resolve {host}") from error
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or not all(_address_allowed(a) for a in addresses):
        raise FetchError(f"{host} resolves to an address that is not public")
    return str(addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address we checked, whatever the host resolves to now."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address we checked; the certificate is still verified for the host's name."""

    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(url: str) -> bytes:
    """The bytes at url (http or https, public hosts only, following a few redirects), within the size
    cap and the time limit, or FetchError."""
    max_bytes = settings.AGORA_REMOTE_IMAGE_MAX_BYTES
    timeout = settings.AGORA_REMOTE_IMAGE_TIMEOUT
    deadline = time.monotonic() + timeout
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise FetchError("only http and https addresses")
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as error:
            raise FetchError("bad port") from error
        address = _resolve(parts.hostname, port)
        connection_class = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, port, address, timeout)
        try:
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request(
                "GET", target, headers={"User-Agent": f"{settings.SITE_NAME} image fetcher", "Accept": "image/*"}
            )
            response = connection.getresponse()
            if response.status in {301, 302, 303, 307, 308}:
                location = response.getheader("Location")
                if not location:
                    raise FetchError("redirect without an address")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchError(f"HTTP {response.status}")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError("too large")
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError("too large")
                if time.monotonic() > deadline:
                    raise FetchError("too slow")
                chunks.append(chunk)
            return b"".join(chunks)
        except (OSError, http.client.HTTPException, ValueError) as error:
            raise FetchError(error.__class__.__name__) from error
        finally:
            connection.close()
    raise FetchError("too many redirects")


def _clean(data: bytes) -> bytes:
    """A WebP of the image's pixels, no wider than AGORA_REMOTE_IMAGE_MAX_WIDTH, or ValidationError."""
    width_cap = settings.AGORA_REMOTE_IMAGE_MAX_WIDTH

    def draft_size(width: int, height: int) -> tuple[int, int]:
        if width <= width_cap:
            return width, height
        return width_cap, max(1, height * width_cap // width)

    def shape(image: Image.Image) -> Image.Image:
        return image

    upload = SimpleUploadedFile("remote", data)
    return process_image(
        upload, max_bytes=settings.AGORA_REMOTE_IMAGE_MAX_BYTES, shape=shape, draft_size=draft_size, field_name="file"
    ).read()


# --- Serving ---------------------------------------------------------------------------------------------


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def image_for(url: str) -> RemoteImage:
    """The stored image for url, fetching it when it was never fetched or its last failure is old enough.
    Never raises: a failure is a row with ok=False."""
    from .models import RemoteImage  # here: core.markdown imports this module before the apps are loaded

    key = url_hash(url)
    row = RemoteImage.objects.filter(url_hash=key).first()
    now = timezone.now()
    if row is not None and (row.ok or (row.retry_after and row.retry_after > now)):
        return row
    try:
        data = _clean(fetch(url))
    except (FetchError, ValidationError) as error:
        reason = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        return _remember_failure(key, url, reason)
    except Exception:  # a reader's page must never break on someone else's server
        logger.exception("Fetching the remote image %s failed", url[:200])
        return _remember_failure(key, url, "unexpected error")
    name = default_storage.save(f"remote/{key[:2]}/{key}.webp", ContentFile(data))
    row, _created = RemoteImage.objects.update_or_create(
        url_hash=key,
        defaults={"url": url, "file": name, "ok": True, "error": "", "fetched_at": now, "retry_after": None},
    )
    return row


def _remember_failure(key: str, url: str, reason: str) -> RemoteImage:
    from .models import RemoteImage

    now = timezone.now()
    retry = now + timedelta(seconds=settings.AGORA_REMOTE_IMAGE_RETRY_SECONDS)
    row, _created = RemoteImage.objects.update_or_create(
        url_hash=key, defaults={"url": url, "ok": False, "error": reason[:200], "fetched_at": now, "retry_after": retry}
    )
    return row


def failure_svg(message: str) -> bytes:
    """A small picture that says the image could not be loaded, in the reader's language."""
    text = html.escape(message)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="40" viewBox="0 0 240 40" role="img"'
        f' aria-label="{text}"><rect width="240" height="40" fill="#f2f2f2" stroke="#ccc"/>'
        f'<text x="120" y="25" font-family="sans-serif" font-size="13" fill="#555" text-anchor="middle">{text}</text>'
        "</svg>"
    ).encode()
