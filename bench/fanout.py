"""Print what a reply costs when thousands watch its category: the request (post_create, which only
enqueues the notification task on commit) with no watchers and with many, then the task (post_notify)
for the many: its time, its queries and the notifications it wrote. It prints figures; it never fails on
them (the query budget that must hold is tests/notifications/test_fanout.py).

    .venv/bin/python -m bench.fanout [--watchers 10000 --requests 20]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/agora_bench_fanout .venv/bin/python -m bench.fanout
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--watchers", type=int, default=10000, help="People watching the busy category.")
    parser.add_argument("--requests", type=int, default=20, help="Timed replies per row (default 20).")
    parser.add_argument(
        "--dir", default=os.environ.get("AGORA_BENCH_DIR", str(Path(tempfile.gettempdir()) / "agora-bench"))
    )
    return parser.parse_args(argv)


def configure_environment(args: argparse.Namespace) -> str:
    bench_dir = Path(args.dir)
    (bench_dir / "static").mkdir(parents=True, exist_ok=True)
    os.environ["AGORA_VAR_DIR"] = str(bench_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "agora.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    # The database task backend: a reply's request enqueues (one row); the task runs here when timed.
    os.environ.pop("TASK_BACKEND", None)
    if url := os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = url
        return url.rsplit("@", 1)[-1]
    os.environ.pop("DATABASE_URL", None)
    path = bench_dir / f"bench-fanout-{args.watchers}.sqlite3"
    os.environ["SQLITE_PATH"] = str(path)
    return str(path)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    database = configure_environment(args)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from agora.accounts.models import User
    from agora.discuss import services
    from agora.discuss.models import Category, CategoryGrant
    from agora.groups.models import Group
    from agora.moderation.limits import posting_limits_off
    from agora.notifications import services as notification_services
    from agora.notifications.models import Notification, Watch, WatchLevel

    call_command("migrate", verbosity=0, interactive=False)

    def category(slug: str) -> Category:
        found = Category.objects.filter(slug=slug).first()
        if found is not None:
            return found
        made = Category.objects.create(name=slug, slug=slug)
        everyone, members = Group.objects.get(name="everyone"), Group.objects.get(name="members")
        CategoryGrant.objects.create(category=made, group=everyone, level=CategoryGrant.Level.SEE)
        CategoryGrant.objects.create(category=made, group=members, level=CategoryGrant.Level.CREATE)
        return made

    quiet, busy = category("fanout-quiet"), category("fanout-busy")
    author = User.objects.filter(username="fanout-author").first()
    if author is None:
        author = User.objects.create_user(username="fanout-author", email="author@example.org", trust_level=2)
    have = Watch.objects.filter(category=busy).count()
    if have < args.watchers:
        User.objects.bulk_create(
            User(
                username=f"fanout-w{i}",
                username_canonical=f"fanout-w{i}",
                username_skeleton=f"fanout-w{i}",
                email=f"w{i}@example.org",
                trust_level=1,
            )
            for i in range(have, args.watchers)
        )
        ids = (
            User.objects.filter(username__startswith="fanout-w")
            .exclude(watches__category=busy)
            .values_list("id", flat=True)
        )
        Watch.objects.bulk_create(
            (Watch(user_id=pk, category=busy, level=WatchLevel.WATCHING) for pk in ids), batch_size=1000
        )
    with posting_limits_off():
        topics = {
            name: services.topic_create(user=author, category=where, title=f"Fan-out {name}", raw="The question.")
            for name, where in (("quiet", quiet), ("busy", busy))
        }

    def reply_times(name: str) -> list[float]:
        times = []
        for i in range(args.requests):
            start = time.perf_counter()
            with posting_limits_off(), transaction.atomic():
                services.post_create(user=author, topic=topics[name], raw=f"Reply {i} to everyone watching.")
            times.append((time.perf_counter() - start) * 1000)
        return times

    print(
        f"Agora fan-out benchmark: Python {platform.python_version()}, Django {django.get_version()}, "
        f"{connection.vendor}, {os.cpu_count()} CPUs"
    )
    print(f"Database: {database}")
    print(f"Watchers of the busy category: {Watch.objects.filter(category=busy).count()}")
    print()
    print(f"{'post_create (request)':<28} {'median ms':>9} {'p90 ms':>7}")
    for name in ("quiet", "busy"):
        times = sorted(reply_times(name))
        label = f"{name} ({'no watchers' if name == 'quiet' else f'{args.watchers} watchers'})"
        print(f"{label:<28} {statistics.median(times):>9.2f} {times[int(len(times) * 0.9) - 1]:>7.2f}")
    with posting_limits_off(), transaction.atomic():
        post = services.post_create(user=author, topic=topics["busy"], raw="The reply the task fans out.")
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        created = notification_services.post_notify(post_id=post.pk)
        elapsed = time.perf_counter() - start
    print()
    print(
        f"post_notify task for {args.watchers} watchers: {elapsed * 1000:.0f} ms, {len(queries)} queries, "
        f"{len(created)} notifications written "
        f"({Notification.objects.filter(post=post).count()} in the database)"
    )
    start = time.perf_counter()
    again = notification_services.post_notify(post_id=post.pk)
    print(f"run again (a retry): {(time.perf_counter() - start) * 1000:.0f} ms, {len(again)} written")


if __name__ == "__main__":
    main()
