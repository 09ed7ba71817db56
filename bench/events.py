"""Print what the event pages cost over many events: queries, milliseconds and CPU per request, for the
month, week and agenda calendars, the map, GeoJSON, ICS and an event's page. It prints figures; it never
fails on them (the query budgets that must hold are tests in tests/events/test_query_budgets.py).

    .venv/bin/python -m bench.events [--events 5000 --recurring 500 --requests 20]
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/agora_bench_events .venv/bin/python -m bench.events
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

from bench import pages


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--recurring", type=int, default=500, help="How many of the events repeat weekly.")
    parser.add_argument("--requests", type=int, default=20, help="Timed requests per page (default 20).")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument(
        "--dir", default=os.environ.get("AGORA_BENCH_DIR", str(Path(tempfile.gettempdir()) / "agora-bench"))
    )
    args = parser.parse_args(argv)
    # A small forum beside the events; the database file is named after every size.
    args.topics, args.posts_per_topic, args.users, args.tags, args.likes = 20, 2, 200, 10, 0
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    pages.SIZES = {**pages.SIZES, "events": 0, "recurring": 0}
    database = pages.configure_environment(args)
    import django

    django.setup()
    pages.install_urlconf()
    from django.core.management import call_command
    from django.db import connection

    from agora.discuss.models import Category
    from agora.events.models import Event, Occurrence

    call_command("migrate", verbosity=0, interactive=False)
    if not Category.objects.filter(slug="bench-events").exists():
        call_command(
            "seed_bench",
            topics=args.topics,
            posts_per_topic=args.posts_per_topic,
            users=args.users,
            tags=args.tags,
            likes=0,
            events=args.events,
            recurring=args.recurring,
            verbosity=0,
        )
    event = Event.objects.exclude(rrule="").order_by("pk").first() or Event.objects.order_by("pk").first()
    occurrences = Occurrence.objects.count()
    month = Occurrence.objects.order_by("start_utc").values_list("start_utc", flat=True)[occurrences // 2]
    urls = [
        ("hello", "/bench/hello"),
        ("month", f"/events?date={month:%Y-%m-%d}"),
        ("week", f"/events?view=week&date={month:%Y-%m-%d}"),
        ("agenda", "/events?view=agenda"),
        ("agenda-past", "/events?view=agenda&when=past"),
        ("filtered", "/events?view=agenda&country=FR&mode=in_person"),
        ("map", "/events/map"),
        ("geojson", "/events.geojson"),
        ("ics", "/events.ics"),
        ("event", event.topic.get_absolute_url()),
        ("latest", "/latest"),
    ]
    print(
        f"Agora events benchmark: Python {platform.python_version()}, Django {django.get_version()}, "
        f"{connection.vendor}, WSGI in-process, DEBUG off, {os.cpu_count()} CPUs"
    )
    print(f"Database: {database}")
    print(
        f"Data: {Event.objects.count()} events ({Event.objects.exclude(rrule='').count()} recurring), "
        f"{occurrences} dates; {args.requests} timed requests per row after {args.warmup} warm-up; anonymous viewer"
    )
    print()
    header = f"{'page':<12} {'queries':>7} {'median ms':>9} {'cpu ms':>7} {'cpu/hello':>9} {'KB':>7}  url"
    print(header)
    print("-" * len(header))
    driver = pages.WsgiDriver()
    hello = pages.measure(driver, "/bench/hello", "", args.requests, args.warmup)["cpu"] or 1e-9
    for name, url in urls:
        queries = pages.count_queries(driver, url, "")
        row = pages.measure(driver, url, "", args.requests, args.warmup)
        print(
            f"{name:<12} {queries:>7} {row['median']:>9.2f} {row['cpu']:>7.2f} {row['cpu'] / hello:>9.1f} "
            f"{row['bytes'] / 1024:>7.1f}  {url}",
            flush=True,
        )


if __name__ == "__main__":
    main()
