"""Measure the daily reminder sweep over many reviews and actions, beside the bare SQL of what is due.

    .venv/bin/python bench/reminders.py [--reviews 10000] [--actions 100000] [--runs 5] [--reuse]

It builds the PostgreSQL database of DATABASE_URL (default postgres://postgres@127.0.0.1:5432/
scr_outbox_bench; it is dropped and made again unless --reuse) with the demo data, `manage.py
bench_data --reviews N`, and open actions added to the LSCB's action plans until there are
--actions in all, due from a year ago to a year ahead. Then it runs the sweep for today, each
run in a transaction rolled back (so every run queues the same reminders), and prints:

- the queries of the sweep (finding what is due, and queuing it), which must not grow with the rows;
- the sweep's median time, beside the median time of the bare SQL that selects what is due
  (milestones, IMRs and actions whose reminder falls today), and their ratio.

This is a benchmark, not a test: it prints figures and fails nothing. docs/performance.md keeps its output.
"""

import argparse
import datetime
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/scr_outbox_bench"


def build(url: str, reviews: int, actions: int) -> None:
    import psycopg2

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username,
        password=parts.password,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    env = {**os.environ, "DATABASE_URL": url, "SCR_DEMO": "1", "DJANGO_SETTINGS_MODULE": "scr.settings.base"}
    for command in (["migrate", "--noinput", "-v", "0"], ["bench_data", "--reviews", str(reviews)]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    setup(url)
    top_up_actions(actions)


def setup(url: str) -> None:
    os.environ.update({"DATABASE_URL": url, "SCR_DEMO": "1", "DJANGO_SETTINGS_MODULE": "scr.settings.base"})
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def top_up_actions(total: int) -> None:
    from django.utils import timezone

    from reviews.models import ActionItem, ActionPlan

    have = ActionItem.objects.count()
    plans = list(ActionPlan.objects.filter(agency__isnull=True).values_list("pk", flat=True))
    rng = random.Random(10)
    today = timezone.localdate()
    ActionItem.objects.bulk_create(
        (
            ActionItem(
                plan_id=plans[i % len(plans)],
                description="Review the guidance with every team.",
                owner="LSCB business manager",
                due_on=today + datetime.timedelta(days=rng.randint(-365, 365)),
            )
            for i in range(max(0, total - have))
        ),
        batch_size=5000,
    )


BARE_SQL = """
SELECT m.id FROM reviews_milestone m JOIN reviews_review r ON r.id = m.review_id
 WHERE m.done_on IS NULL AND r.state = ANY(%(open)s)
   AND (CASE WHEN m.kind = 'review_complete' THEN r.current_due_date ELSE m.due_on END) = ANY(%(dates)s)
UNION ALL
SELECT i.id FROM reviews_imr i
  JOIN reviews_agencyparticipation p ON p.id = i.participation_id
  JOIN reviews_review r ON r.id = p.review_id
  JOIN reviews_milestone m ON m.review_id = r.id AND m.kind = 'imrs_submitted'
 WHERE i.state = ANY(%(editable)s) AND r.state = ANY(%(open)s) AND m.done_on IS NULL AND m.due_on = ANY(%(dates)s)
UNION ALL
SELECT a.id FROM reviews_actionitem a WHERE a.state <> ALL(%(done)s) AND a.due_on = ANY(%(dates)s)
"""


def measure(runs: int) -> None:
    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from reviews.deadlines import reminder_due_dates
    from reviews.models import IMR, ActionItem, Review
    from reviews.models.imr import EDITABLE
    from reviews.models.review import OPEN
    from reviews.services.reminders import reminders_due, reminders_queue

    today = timezone.localdate()
    dates = list(
        reminder_due_dates(
            today,
            days_before=settings.REMINDER_DAYS_BEFORE,
            overdue_every=settings.REMINDER_OVERDUE_EVERY_DAYS,
            overdue_max_weeks=settings.REMINDER_OVERDUE_MAX_WEEKS,
        )
    )
    params = {
        "open": list(OPEN),
        "editable": list(EDITABLE),
        "done": list(ActionItem.DONE),
        "dates": dates,
    }
    print(
        f"{Review.objects.count():,} reviews, {ActionItem.objects.count():,} actions, "
        f"{IMR.objects.count():,} IMRs; today {today}, {len(dates)} due dates looked for"
    )

    def bare():
        with connection.cursor() as cursor:
            cursor.execute(BARE_SQL, params)
            return len(cursor.fetchall())

    def find():
        return len(reminders_due(today)[0])

    def sweep():
        with transaction.atomic():
            count = reminders_queue(on=today)
            transaction.set_rollback(True)
        return count

    for label, call in (("bare SQL of what is due", bare), ("finding what is due", find), ("sweep", sweep)):
        call()  # warm-up
        with CaptureQueriesContext(connection) as queries:
            result = call()
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            call()
            times.append(time.perf_counter() - started)
        median = statistics.median(times)
        figures[label] = median
        print(f"{label:28} {result:7,} rows  {len(queries):3} queries  median {median * 1000:8.1f} ms")
    print(
        f"finding what is due / bare SQL: {figures['finding what is due'] / figures['bare SQL of what is due']:.1f} times"
    )
    print(
        f"whole sweep (and queuing) / bare SQL: {figures['sweep'] / figures['bare SQL of what is due']:.1f} times"
    )


figures: dict[str, float] = {}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=10_000)
    parser.add_argument("--actions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="Measure the database already built.")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if "postgres" not in url:
        sys.exit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    started = time.monotonic()
    if args.reuse:
        setup(url)
    else:
        build(url, args.reviews, args.actions)
        print(f"built in {time.monotonic() - started:.0f} s")
    measure(args.runs)
