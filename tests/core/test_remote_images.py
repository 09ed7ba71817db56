"""Images by address in posts are fetched by our server and served from our origin: a real HTTP server
(on 127.0.0.2, which the tests allow; every other private address stays refused) serves a PNG, a file too
large, a page that is no image, a slow answer and a redirect to 127.0.0.1."""

import io
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from PIL import Image, PngImagePlugin

from agora.core import remote_images
from agora.core.markdown import render_markdown
from agora.core.models import RemoteImage
from agora.discuss.models import Post
from tests import factories

pytestmark = pytest.mark.django_db


def png_bytes(size=(40, 30)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "SECRET-METADATA")
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG", pnginfo=info)
    return out.getvalue()


class ImageHost(BaseHTTPRequestHandler):
    calls: list[str] = []
    port = 0

    def do_GET(self):
        self.calls.append(self.path)
        if self.path == "/cat.png":
            self._send(200, png_bytes(), "image/png")
        elif self.path == "/big.png":
            self._send(200, b"\x89PNG" + b"0" * 200_000, "image/png")
        elif self.path == "/page.png":
            self._send(200, b"<html><body>Not an image</body></html>", "text/html")
        elif self.path == "/slow.png":
            time.sleep(1.5)
            self._send(200, png_bytes(), "image/png")
        elif self.path == "/to-loopback.png":
            self._redirect(f"http://127.0.0.1:{self.port}/cat.png")
        elif self.path == "/moved.png":
            self._redirect("/cat.png")
        else:
            self._send(404, b"no", "text/plain")

    def _send(self, status, body, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def host(settings):
    server = ThreadingHTTPServer(("127.0.0.2", 0), ImageHost)
    ImageHost.port = server.server_address[1]
    ImageHost.calls = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.AGORA_REMOTE_IMAGE_ALLOWED_NETWORKS = ["127.0.0.2/32"]
    settings.AGORA_REMOTE_IMAGE_MAX_BYTES = 100_000
    settings.AGORA_REMOTE_IMAGE_TIMEOUT = 0.5
    yield f"http://127.0.0.2:{ImageHost.port}"
    server.shutdown()
    server.server_close()


def proxied_src(markup: str) -> str:
    [src] = re.findall(r'<img[^>]*\ssrc="([^"]*)"', markup)
    return src


def test_markdown_points_remote_images_at_our_origin(settings):
    html = render_markdown("![a cat](https://tracker.example/cat.png?id=123&x=1) and ![local](/media/blog/x.webp)")
    srcs = re.findall(r'src="([^"]*)"', html)
    assert srcs[0].startswith("/img/remote/") and "tracker.example" not in html
    assert srcs[1] == "/media/blog/x.webp"
    token = srcs[0].removeprefix("/img/remote/")
    assert remote_images.url_from_token(token) == "https://tracker.example/cat.png?id=123&x=1"
    assert remote_images.rewrite_images(html) == html  # twice changes nothing


def test_images_on_our_own_host_stay_as_they_are(settings):
    settings.SITE_URL = "https://agora.example"
    assert 'src="https://agora.example/media/a.webp"' in render_markdown("![a](https://agora.example/media/a.webp)")
    settings.MEDIA_URL = "https://bucket.example/media/"  # uploads kept in a storage bucket elsewhere
    assert 'src="https://bucket.example/media/b.webp"' in render_markdown("![b](https://bucket.example/media/b.webp)")
    assert "/img/remote/" in render_markdown("![c](https://bucket.example/other/c.webp)")


def test_a_forged_token_is_a_404_and_fetches_nothing(client, host):
    token = remote_images.proxied_url(f"{host}/cat.png").removeprefix("/img/remote/")
    forged = remote_images.proxied_url("x").removeprefix("/img/remote/").split(":")[0] + ":" + token.split(":")[1]
    assert client.get(f"/img/remote/{forged}").status_code == 404
    assert client.get("/img/remote/garbage").status_code == 404
    assert ImageHost.calls == []


def test_an_image_is_fetched_once_cleaned_and_served_from_our_origin(client, host):
    src = proxied_src(render_markdown(f"![cat]({host}/cat.png)"))
    response = client.get(src)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "max-age=31536000" in response["Cache-Control"]
    body = response.content
    assert b"SECRET-METADATA" not in body
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "WEBP" and image.size == (40, 30)
    assert client.get(src).content == body
    assert ImageHost.calls == ["/cat.png"]  # fetched once, then from our storage


def test_a_redirect_on_the_same_host_is_followed(client, host):
    response = client.get(proxied_src(render_markdown(f"![cat]({host}/moved.png)")))
    assert response["Content-Type"] == "image/webp"
    assert ImageHost.calls == ["/moved.png", "/cat.png"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/big.png", "too large"),
        ("/page.png", "not an image"),
        ("/slow.png", "TimeoutError"),
        ("/to-loopback.png", "not public"),
        ("/missing.png", "HTTP 404"),
    ],
)
def test_a_bad_image_is_a_small_notice_never_a_500(client, host, path, reason):
    response = client.get(proxied_src(render_markdown(f"![x]({host}{path})")))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"Image could not be loaded" in response.content
    row = RemoteImage.objects.get()
    assert not row.ok and reason in row.error
    assert "/cat.png" not in ImageHost.calls  # the redirect to loopback was never followed


def test_a_failure_is_retried_only_after_a_while(client, host, settings):
    src = proxied_src(render_markdown(f"![x]({host}/missing.png)"))
    client.get(src)
    client.get(src)
    assert ImageHost.calls == ["/missing.png"]
    settings.AGORA_REMOTE_IMAGE_RETRY_SECONDS = 0
    RemoteImage.objects.update(retry_after=None)
    client.get(src)
    assert ImageHost.calls == ["/missing.png", "/missing.png"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.png",
        "http://localhost:9/x.png",
        "http://10.0.0.1/x.png",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:9/x.png",
        "http://[::ffff:127.0.0.1]:9/x.png",
        "http://0.0.0.0:9/x.png",
        "ftp://example.org/x.png",
        "file:///etc/passwd",
    ],
)
def test_private_addresses_and_other_schemes_are_refused(url, settings):
    settings.AGORA_REMOTE_IMAGE_ALLOWED_NETWORKS = []
    with pytest.raises(remote_images.FetchError):
        remote_images.fetch(url)


def test_the_policy_no_longer_lets_pages_load_images_from_any_host(client):
    policy = client.get("/latest")["Content-Security-Policy"]
    img_src = next(d for d in policy.split(";") if d.strip().startswith("img-src")).split()
    assert "https:" not in img_src
    assert "'self'" in img_src and "data:" in img_src
    assert "https://tile.openstreetmap.org" in img_src  # the map's tiles


def test_existing_posts_are_rewritten_once_by_the_command(member, settings):
    topic = factories.make_topic(member, factories.make_category("Pictures"), raw="Look")
    post = topic.posts.get()
    Post.objects.filter(pk=post.pk).update(html='<p><img src="https://tracker.example/p.gif" alt="x"></p>')
    call_command("rewrite_remote_images", verbosity=0)
    post.refresh_from_db()
    assert "tracker.example" not in post.html and "/img/remote/" in proxied_src(post.html)
    rewritten = post.html
    call_command("rewrite_remote_images", verbosity=0)
    post.refresh_from_db()
    assert post.html == rewritten
