"""Measure every list page at two sizes against the Django admin's changelist of reviews.

    .venv/bin/python bench/pages.py [--sizes 50 5000] [--runs 15] [--reuse]

For each size it builds a PostgreSQL database (`scr_bench_<size>` on DATABASE_SERVER, default
postgres://postgres@127.0.0.1:5432) with the demo data and `manage.py bench_data --reviews
<size>`, unless --reuse finds it already built. Then, for every list page and every role that
reaches it, it prints the queries, the HTML size and the median server time (Django's test
client, in-process, after one warm-up request; the pages measured in turn, round after round)
at each size, and the ratio of the page's time to the admin changelist's on the same data,
measured in the same rounds.

This is a benchmark, not a test: it prints figures and fails nothing. docs/performance.md keeps
its output.
"""

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {
    "SCR_DEMO": "1",
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "0",
    "DJANGO_SETTINGS_MODULE": "scr.settings.base",
}

# (label, demo user, path): every list page, for every role that reaches it.
PAGES = [
    ("admin: review changelist", "admin", "/admin/reviews/review/"),
    *[
        (f"tracker: {who}", who, "/tracker/")
        for who in ("manager", "chair", "board", "qa", "agencymanager", "author", "overview")
    ],
    ("tracker: red, by status, page 2", "manager", "/tracker/?status=red&sort=status&page=2"),
    ("tracker: by last activity", "manager", "/tracker/?sort=activity&order=desc"),
    *[
        (f"home: {who}", who, "/")
        for who in (
            "chair",
            "manager",
            "board",
            "qa",
            "agencymanager",
            "author",
            "author2",
            "overview",
            "referrer",
        )
    ],
    *[(f"referrals: {who}", who, "/referrals/") for who in ("chair", "manager", "referrer")],
    ("referrals: awaiting, this year", "manager", "/referrals/?status=awaiting"),
    ("IMRs: author", "author", "/imrs/"),
    ("agency's reviews: agencymanager", "agencymanager", "/agency/reviews/?needs=action"),
    *[(f"actions: {who}", who, "/actions/") for who in ("qa", "manager", "board")],
    ("actions: due in 30 days", "qa", "/actions/?due=30"),
]


def server_url(name):
    base = os.environ.get("DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def manage(database_url, *args):
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr)


def build(size, reuse):
    name = f"scr_bench_{size}"
    url = server_url(name)
    admin = server_url("postgres")
    exists = _psql(admin, f"SELECT 1 FROM pg_database WHERE datname = '{name}'") == "1"
    if exists and reuse:
        print(f"Reusing {name}.", file=sys.stderr)
        return url
    if exists:
        _psql(admin, f'DROP DATABASE "{name}"')
    _psql(admin, f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    manage(url, "migrate", "--noinput", "--verbosity", "0")
    manage(url, "demo_data")
    manage(url, "bench_data", "--reviews", str(size))
    # As autovacuum would soon after: the planner's statistics of the new rows.
    _psql(url, "ANALYZE")
    print(f"Built {name} in {time.perf_counter() - started:.0f} s.", file=sys.stderr)
    return url


def _psql(url, sql):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            row = cursor.fetchone() if cursor.description else None
            return str(row[0]) if row else ""
    finally:
        connection.close()


def measure(database_url, runs):
    """Run in a child process with DATABASE_URL set: print one JSON line per page."""
    env = {**os.environ, **ENV, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, __file__, "--measure-here", "--runs", str(runs)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def measure_here(runs):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import User
    from reviews.models import Review

    users = {user.username: user for user in User.objects.filter(username__in={who for _, who, _ in PAGES})}
    reviews = Review.objects.count()
    clients, measured = {}, {}
    for label, who, path in PAGES:
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[who])
        response = client.get(path)  # warm-up: templates compiled, connection open
        assert response.status_code == 200, (label, response.status_code)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Read now: the log is cleared when the next request starts.
        measured[label] = {
            "label": label,
            "path": path,
            "reviews": reviews,
            "queries": len(queries.captured_queries),
        }
        measured[label]["kb"] = len(response.content) / 1024
        measured[label]["times"] = []
        clients[label] = (client, path)
    # Round after round over every page, the admin's changelist included: a slower moment of the
    # machine slows every page alike, and the ratios stay fair.
    for _ in range(runs):
        gc.collect()
        for label, (client, path) in clients.items():
            started = time.perf_counter()
            client.get(path)
            measured[label]["times"].append((time.perf_counter() - started) * 1000)
    for row in measured.values():
        row["ms"] = statistics.median(row.pop("times"))
        print(json.dumps(row))


def report(results, sizes):
    small, large = (results[size] for size in sizes)
    admin_small, admin_large = (rows["admin: review changelist"]["ms"] for rows in (small, large))
    print(
        f"| page | queries at {sizes[0]} | queries at {sizes[1]} | ms at {sizes[0]} | ms at {sizes[1]} "
        f"| HTML at {sizes[1]} | ratio to admin at {sizes[0]} | ratio to admin at {sizes[1]} |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    worst = 0.0
    for label, _, path in PAGES:
        a, b = small[label], large[label]
        ratio_small, ratio_large = a["ms"] / admin_small, b["ms"] / admin_large
        if label != "admin: review changelist":
            worst = max(worst, ratio_large)
        flag = "" if a["queries"] == b["queries"] else " (differs)"
        print(
            f"| {label} (`{path}`) | {a['queries']} | {b['queries']}{flag} | {a['ms']:.0f} | {b['ms']:.0f} "
            f"| {b['kb']:.0f} KB | {ratio_small:.2f} | {ratio_large:.2f} |"
        )
    print()
    print(f"Reviews in the databases: {small[PAGES[0][0]]['reviews']} and {large[PAGES[0][0]]['reviews']}.")
    print(f"Worst ratio to the admin changelist at {sizes[1]}: {worst:.2f}.")
    print(f"Largest page at {sizes[1]}: {max(row['kb'] for row in large.values()):.0f} KB of HTML.")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", nargs=2, type=int, default=[50, 5000])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--reuse", action="store_true", help="use the databases of an earlier run if present")
    parser.add_argument("--measure-here", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_here:
        measure_here(args.runs)
        return
    manage(server_url("postgres"), "collectstatic", "--noinput", "--verbosity", "0")
    results = {}
    for size in args.sizes:
        url = build(size, args.reuse)
        results[size] = {row["label"]: row for row in measure(url, args.runs)}
    report(results, args.sizes)


if __name__ == "__main__":
    main()
