"""Print what Agora's main pages cost: queries, milliseconds and CPU time relative to a hello-world view.

Runs the real Django application in-process (WSGI by default, or ASGI) over a database filled by
`manage.py seed_bench`, with DEBUG off and the production middleware. A hello-world view, added
only here through the benchmark's own URLconf, runs through the same middleware on the same setup,
so `cpu/hello` says how many hello-world requests one page costs. It prints figures; it never fails
on them. See bench/README.md.

    .venv/bin/python -m bench.pages [--requests 50] [--server wsgi|asgi] [--topics 2000 ...]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import io
import os
import platform
import statistics
import sys
import tempfile
import time
import types
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes

SIZES = {"topics": 2000, "posts_per_topic": 20, "users": 500, "tags": 100, "likes": 40000}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="Timed requests per page and viewer (default 30).")
    parser.add_argument("--warmup", type=int, default=5, help="Untimed requests per page first (default 5).")
    parser.add_argument("--server", choices=["wsgi", "asgi"], default="wsgi", help="Django handler to drive.")
    parser.add_argument("--viewer", choices=["anonymous", "member", "both"], default="both")
    for name, default in SIZES.items():
        parser.add_argument(f"--{name.replace('_', '-')}", type=int, default=default, help=f"default {default}")
    parser.add_argument(
        "--dir",
        default=os.environ.get("AGORA_BENCH_DIR", str(Path(tempfile.gettempdir()) / "agora-bench")),
        help="Where the bench SQLite databases and var/ live (AGORA_BENCH_DIR; default a temporary folder).",
    )
    return parser.parse_args(argv)


def configure_environment(args: argparse.Namespace) -> str:
    """Settings come from the environment: point them at the bench database before Django starts."""
    bench_dir = Path(args.dir)
    (bench_dir / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns when STATIC_ROOT is missing
    os.environ["AGORA_VAR_DIR"] = str(bench_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "agora.settings"
    os.environ["DEBUG"] = "0"
    os.environ["AGORA_PLAIN_STATIC"] = "1"  # no collectstatic manifest needed
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    os.environ.pop("SQLITE_PATH", None)
    # Never the developer's own DATABASE_URL: the bench writes thousands of rows.
    if url := os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = url
        return url.rsplit("@", 1)[-1]
    os.environ.pop("DATABASE_URL", None)
    sizes = "-".join(str(getattr(args, k)) for k in SIZES)
    path = bench_dir / f"bench-{sizes}.sqlite3"
    os.environ["SQLITE_PATH"] = str(path)
    return str(path)


def hello(request):
    from django.http import HttpResponse

    return HttpResponse("Hello, world")


def install_urlconf() -> None:
    """Agora's URLs plus /bench/hello, in a URLconf that exists only in this process."""
    from django.conf import settings
    from django.urls import include, path

    module = types.ModuleType("bench_urlconf")
    module.urlpatterns = [path("bench/hello", hello), path("", include(settings.ROOT_URLCONF))]
    sys.modules["bench_urlconf"] = module
    settings.ROOT_URLCONF = "bench_urlconf"


def prepare_database(args: argparse.Namespace) -> str:
    from django.core.management import call_command

    from agora.discuss.models import Category, Post, Topic

    call_command("migrate", verbosity=0, interactive=False)
    if Category.objects.filter(slug__startswith="bench-").exists():
        return f"reused: {Topic.objects.count()} topics, {Post.objects.count()} posts"
    started = time.perf_counter()
    call_command(
        "seed_bench",
        topics=args.topics,
        posts_per_topic=args.posts_per_topic,
        users=args.users,
        tags=args.tags,
        likes=args.likes,
        verbosity=0,
    )
    return f"seeded in {time.perf_counter() - started:.1f} s"


def pick_pages() -> list[tuple[str, str]]:
    from django.db.models import Count

    from agora.accounts.models import User
    from agora.discuss.models import Category, Topic

    category = Category.objects.filter(slug="bench-1").get()
    topic = Topic.objects.filter(category=category).order_by("-posts_count", "id").first()
    author = User.objects.filter(topics__category=category).annotate(n=Count("topics")).order_by("-n", "id").first()
    return [
        ("hello", "/bench/hello"),
        ("latest", "/latest"),
        ("category", category.get_absolute_url()),
        ("topic", topic.get_absolute_url()),
        ("profile", author.get_absolute_url()),
    ]


def member_cookie() -> str:
    """A signed-in session for a bench user who is not staff, as a Cookie header."""
    from django.conf import settings
    from django.test import Client

    from agora.accounts.models import User

    user = User.objects.filter(is_staff=False, email__startswith="bench").order_by("id").first()
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class WsgiDriver:
    def __init__(self):
        from django.core.handlers.wsgi import WSGIHandler

        self.app = WSGIHandler()

    def get(self, url: str, cookie: str) -> tuple[int, bytes]:
        path, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            # WSGI carries the path undecoded-from-bytes, as latin-1 text.
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT": "text/html",
            "HTTP_ACCEPT_LANGUAGE": "en",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        status = []
        result = self.app(environ, lambda s, headers, exc_info=None: status.append(s))
        try:
            body = b"".join(result)
        finally:
            result.close()  # fires request_finished, as a server does
        return int(status[0].split()[0]), body


class AsgiDriver:
    def __init__(self):
        from django.core.handlers.asgi import ASGIHandler

        self.app = ASGIHandler()
        self.loop = asyncio.new_event_loop()

    def get(self, url: str, cookie: str) -> tuple[int, bytes]:
        return self.loop.run_until_complete(self._get(url, cookie))

    async def _get(self, url: str, cookie: str) -> tuple[int, bytes]:
        path, _, query = url.partition("?")
        headers = [(b"host", b"127.0.0.1"), (b"accept", b"text/html"), (b"accept-language", b"en")]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": unquote(path),
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        messages = [{"type": "http.request", "body": b"", "more_body": False}]
        status, chunks = [], []

        async def receive():
            if messages:
                return messages.pop()
            await asyncio.Event().wait()  # no disconnect: the handler cancels this when done

        async def send(message):
            if message["type"] == "http.response.start":
                status.append(message["status"])
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status[0], b"".join(chunks)


def count_queries(driver, url: str, cookie: str) -> int:
    """Queries one request runs, counted on the WSGI path (ASGI runs views in another thread)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wsgi = driver if isinstance(driver, WsgiDriver) else WsgiDriver()
    with CaptureQueriesContext(connection) as captured:
        wsgi.get(url, cookie)
    if os.environ.get("BENCH_SHOW_SQL"):  # to see what a page's queries are, not only how many
        for query in captured.captured_queries:
            print("   ", query["sql"][:160])
    return len(captured.captured_queries)


def measure(driver, url: str, cookie: str, requests: int, warmup: int) -> dict:
    status, body = 0, b""
    for _ in range(warmup):
        status, body = driver.get(url, cookie)
    if status != 200:
        raise SystemExit(f"{url} answered {status}:\n{body[:2000].decode(errors='replace')}")
    walls, cpus = [], []
    for _ in range(requests):
        cpu0, wall0 = time.process_time(), time.perf_counter()
        status, body = driver.get(url, cookie)
        walls.append((time.perf_counter() - wall0) * 1000)
        cpus.append((time.process_time() - cpu0) * 1000)
    return {
        "status": status,
        "mean": statistics.fmean(walls),
        "median": statistics.median(walls),
        "cpu": statistics.fmean(cpus),
        "bytes": len(body),
        "gzip": len(gzip.compress(body)),
    }


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    database = configure_environment(args)
    import django

    django.setup()
    install_urlconf()
    data = prepare_database(args)

    from django.db import connection

    pages = pick_pages()
    viewers = {"anonymous": ""} if args.viewer != "member" else {}
    if args.viewer in {"member", "both"}:
        viewers["member"] = member_cookie()
    driver = WsgiDriver() if args.server == "wsgi" else AsgiDriver()

    print(
        f"Agora page benchmark: Python {platform.python_version()}, Django {django.get_version()}, "
        f"{connection.vendor} {connection.Database.sqlite_version if connection.vendor == 'sqlite' else ''}".rstrip()
        + f", {args.server.upper()} in-process, DEBUG off, {os.cpu_count()} CPUs"
    )
    print(f"Database: {database} ({data})")
    print(
        f"Data asked: {args.topics} topics x {args.posts_per_topic} posts, {args.users} users, "
        f"{args.tags} tags, {args.likes} likes"
    )
    print(f"Requests: {args.requests} timed per row, after {args.warmup} warm-up")
    print(
        "cpu/hello: CPU time per request over that of an anonymous hello-world view "
        "(same middleware, same process); a signed-in hello pays for the session and user lookups"
    )
    print()
    header = f"{'viewer':<10} {'page':<9} {'queries':>7} {'mean ms':>8} {'median ms':>9} {'cpu ms':>7} "
    header += f"{'cpu/hello':>9} {'KB':>6} {'KB gz':>6}  url"
    print(header)
    print("-" * len(header))
    hello_cpu = measure(driver, pages[0][1], "", args.requests, args.warmup)["cpu"] or 1e-9
    for viewer, cookie in viewers.items():
        for name, url in pages:
            queries = count_queries(driver, url, cookie)
            row = measure(driver, url, cookie, args.requests, args.warmup)
            ratio = row["cpu"] / hello_cpu
            print(
                f"{viewer:<10} {name:<9} {queries:>7} {row['mean']:>8.2f} {row['median']:>9.2f} {row['cpu']:>7.2f} "
                f"{ratio:>9.1f} {row['bytes'] / 1024:>6.1f} {row['gzip'] / 1024:>6.1f}  {unquote(url)}",
                flush=True,
            )


if __name__ == "__main__":
    main()
