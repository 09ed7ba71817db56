"""Live updates under a Wikimania-size peak: N open streams on one topic, replies at a steady rate.

    .venv/bin/python -m bench.live                      # embedded: SQLite, the database broker
    .venv/bin/python -m bench.live --redis redis://127.0.0.1:6379/6
    .venv/bin/python -m bench.live --connections 2000 --rate 20 --seconds 20

It migrates a fresh var/ directory (a temporary one), starts one uvicorn process as bin/serve does,
opens the streams (asyncio, raw sockets: /live?topics=<id> as a visitor's browser would), then a
separate process posts replies through the service layer (discuss.services.post_create) at --rate a
second. Each stream records when each reply's event arrives. Printed: delivery latency p50/p99/max (from
just before the reply's write to the event read by the client; the client runs on the same machine and
its own CPU counts in it), events lost, and the server's resident memory per open stream.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(rb'"number":(\d+)')

SETUP = """
import json
from agora.accounts.models import User
from agora.discuss.models import Category, CategoryGrant
from agora.discuss.services import topic_create
from agora.groups.models import Group
user = User.objects.create_user(username="Bench", email="bench@example.org", password="x" * 12, trust_level=3)
category = Category.objects.create(name="Live", slug="live")
for group, level in (("everyone", CategoryGrant.Level.SEE), ("members", CategoryGrant.Level.CREATE)):
    CategoryGrant.objects.create(category=category, group=Group.objects.get(name=group), level=level)
topic = topic_create(user=user, category=category, title="The live thread of the peak", raw="Here we go.", tags=[])
print(json.dumps({"topic": topic.pk, "user": user.pk}))
"""

POSTER = """
import json, sys, time
from agora.accounts.models import User
from agora.discuss.models import Topic
from agora.discuss.services import post_create
user = User.objects.get(pk={user})
topic = Topic.objects.get(pk={topic})
post_create(user=user, topic=topic, raw="A first reply, untimed: imports and caches warm up.")
interval = 1 / {rate}
start = time.monotonic()
for i in range(int({rate} * {seconds})):
    delay = start + i * interval - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    written = time.time()
    post = post_create(user=user, topic=topic, raw=f"Reply {{i}} in the peak, with a few words more.")
    print(json.dumps([post.number, written]), flush=True)
"""


def env_for(var_dir: Path, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="agora.settings",
        AGORA_VAR_DIR=str(var_dir),
        AGORA_DISABLE_RATE_LIMITS="1",
        AGORA_POSTING_LIMITS="0",  # one person posts 20 replies a second here
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def django(code: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(result.stderr)
    return result.stdout.strip().splitlines()[-1]


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Client:
    """One stream: records when each post event (by reply number) arrived."""

    def __init__(self) -> None:
        self.arrivals: dict[int, float] = {}
        self.ready = asyncio.Event()

    async def run(self, port: int, topic: int, stop: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 16)
        writer.write(
            f"GET /live?topics={topic} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
        )
        await writer.drain()
        # Chunks, not lines: the client must cost less than the server it measures. Only "post" events
        # carry a "number" here (the ready event carries counts under other names).
        buffer = b""
        try:
            while not stop.is_set():
                chunk = await reader.read(1 << 16)
                if not chunk:
                    return
                now = time.time()
                buffer += chunk
                cut = buffer.rfind(b"\n\n")
                if cut < 0:
                    continue
                complete, buffer = buffer[: cut + 2], buffer[cut + 2 :]
                if not self.ready.is_set() and b"event: ready" in complete:
                    self.ready.set()
                for match in NUMBER.finditer(complete):
                    self.arrivals.setdefault(int(match.group(1)), now)
        finally:
            writer.close()


async def bench(args: argparse.Namespace) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.connections * 2 + 256)), hard))
    var_dir = Path(tempfile.mkdtemp(prefix="agora-bench-live-"))
    env = env_for(var_dir, args.redis)
    print(f"broker: {'redis ' + args.redis if args.redis else 'database (SQLite)'}; var: {var_dir}", flush=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    ids = json.loads(django(SETUP, env))
    port = args.port
    log = (var_dir / "uvicorn.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "agora.asgi:application", "--port", str(port), "--lifespan", "off",
         "--no-access-log", "--backlog", "4096", "--timeout-graceful-shutdown", "2"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    stop = asyncio.Event()
    clients: list[Client] = []
    tasks: list[asyncio.Task] = []
    try:
        for _ in range(100):
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            except OSError:
                await asyncio.sleep(0.3)
        if server.poll() is not None:
            raise SystemExit(f"the server exited: see {var_dir / 'uvicorn.log'}")
        # A first request warms the server (imports, the hub's start).
        warm = Client()
        tasks.append(asyncio.create_task(warm.run(port, ids["topic"], stop)))
        await asyncio.wait_for(warm.ready.wait(), 60)
        base_rss = rss_kb(server.pid)
        started = time.monotonic()
        for start in range(0, args.connections, 100):
            batch = [Client() for _ in range(min(100, args.connections - start))]
            clients.extend(batch)
            tasks.extend(asyncio.create_task(c.run(port, ids["topic"], stop)) for c in batch)
            await asyncio.wait_for(asyncio.gather(*(c.ready.wait() for c in batch)), 120)
        connect_seconds = time.monotonic() - started
        await asyncio.sleep(1)
        open_rss = rss_kb(server.pid)
        print(f"{len(clients)} streams open in {connect_seconds:.1f} s", flush=True)

        poster = await asyncio.create_subprocess_exec(
            sys.executable, "-c", "import django; django.setup()\n" + POSTER.format(
                user=ids["user"], topic=ids["topic"], rate=args.rate, seconds=args.seconds),
            cwd=ROOT, env=env, stdout=asyncio.subprocess.PIPE,
        )  # fmt: skip
        written: dict[int, float] = {}
        assert poster.stdout is not None
        async for line in poster.stdout:
            number, at = json.loads(line)
            written[number] = at
        await poster.wait()
        await asyncio.sleep(3)  # the last events on their way
        peak_rss = rss_kb(server.pid)
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        server.terminate()
        server.wait(15)
        log.close()

    latencies = sorted(c.arrivals[n] - at for c in clients for n, at in written.items() if n in c.arrivals)
    expected = len(clients) * len(written)
    duration = args.seconds
    print(f"replies: {len(written)} in {duration} s ({len(written) / duration:.1f}/s) to {len(clients)} streams")
    print(f"events delivered: {len(latencies)} of {expected} (lost: {expected - len(latencies)})")
    if latencies:
        p50 = statistics.median(latencies) * 1000
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000
        print(f"delivery latency: p50 {p50:.0f} ms, p99 {p99:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    per = (open_rss - base_rss) / max(1, len(clients))
    print(f"server RSS: {base_rss / 1024:.0f} MB idle, {open_rss / 1024:.0f} MB with the streams open "
          f"({per:.1f} KB per stream), {peak_rss / 1024:.0f} MB after the replies")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=20, help="replies a second")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--redis", default="", help="a Redis URL: the Redis broker (default: the database)")
    parser.add_argument("--port", type=int, default=8199)
    asyncio.run(bench(parser.parse_args()))


if __name__ == "__main__":
    main()
