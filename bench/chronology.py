"""Measure the integrated chronology at 5,000 contacts from 8 agencies, and the chronology importer.

    .venv/bin/python bench/chronology.py --database-url postgres://postgres@127.0.0.1:5432/scr_bench_chronology
    .venv/bin/python bench/chronology.py --database-url ... --reuse     # measure again on the data built

Without --reuse it (re)creates the named PostgreSQL database, migrates it, loads the demo data and
gives the demo's first review with IMRs 8 agencies and 5,000 contacts (bulk-created, as
`reviews.scenarios.invented_contacts` writes them). Then it prints:

- the integrated chronology page (`/reviews/<pk>/chronology/`, as `manager`, first page and a
  filtered one) beside the Django admin's changelist of the same contacts
  (`/admin/reviews/chronologyentry/`, as `admin`): queries, HTML size and median server time
  (Django's test client, in-process, `DEBUG` off, after a warm-up, measured in turn, round after
  round), and each page's ratio to the admin's;
- the importer on a 5,000-row CSV and a 5,000-row XLSX: `chronology_import.read_upload` (reading
  and checking the file) and the service `services.chronology_import` (the same plus the review's
  rules and the save), each the median of a few runs, every run rolled back.

A benchmark, not a test: it prints figures and fails nothing. docs/performance.md keeps its output.
"""

import argparse
import csv
import datetime
import gc
import io
import os
import statistics
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
CONTACTS = 5000
AGENCIES = 8


def recreate(database_url):
    import psycopg2

    base, name = database_url.rsplit("/", 1)
    connection = psycopg2.connect(f"{base}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    connection.close()


def setup(database_url):
    os.environ.update(ENV)
    os.environ["DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build():
    from django.core.management import call_command
    from django.db import connection

    from agencies.models import User
    from reviews import scenarios
    from reviews.models import IMR, ChronologyEntry, Review

    started = time.perf_counter()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo_data", verbosity=0)
    review = Review.objects.filter(participations__imr__isnull=False).order_by("pk").first()
    imrs = list(IMR.objects.filter(participation__review=review))
    imrs += scenarios.add_agencies_taking_part(
        review=review,
        count=AGENCIES - len(imrs),
        author=User.objects.get(username="author"),
        nominated_by=User.objects.get(username="agencymanager"),
    )
    ChronologyEntry.objects.bulk_create(
        scenarios.invented_contacts(
            imrs=imrs, count=CONTACTS, first_day=datetime.date(2019, 1, 1), days=5 * 365
        ),
        batch_size=1000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Built in {time.perf_counter() - started:.0f} s.", file=sys.stderr)


def review_measured():
    from django.db.models import Count

    from reviews.models import Review

    return (
        Review.objects.annotate(contacts=Count("participations__imr__chronology_entries"))
        .order_by("-contacts")
        .first()
    )


def measure_pages(runs):
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from agencies.models import User

    review = review_measured()
    pages = [
        ("admin: chronology entry changelist", "admin", "/admin/reviews/chronologyentry/"),
        ("integrated chronology: manager", "manager", f"/reviews/{review.pk}/chronology/"),
        ("integrated chronology: page 60", "manager", f"/reviews/{review.pk}/chronology/?page=60"),
        (
            "integrated chronology: one agency, 2021, home visits",
            "manager",
            f"/reviews/{review.pk}/chronology/?agency={review.participations.order_by('-pk').first().agency_id}"
            "&date_from=01/01/2021&date_to=31/12/2021&contact_type=home+visit",
        ),
    ]
    users = {user.username: user for user in User.objects.filter(username__in={who for _, who, _ in pages})}
    measured = {}
    for label, who, path in pages:
        client = Client(HTTP_HOST="localhost")
        client.force_login(users[who])
        response = client.get(path)
        assert response.status_code == 200, (label, response.status_code)
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        measured[label] = {
            "path": path,
            "queries": len(queries.captured_queries),
            "kb": len(response.content) / 1024,
            "times": [],
            "client": client,
        }
    for _ in range(runs):
        gc.collect()
        for row in measured.values():
            started = time.perf_counter()
            row["client"].get(row["path"])
            row["times"].append((time.perf_counter() - started) * 1000)
    admin = statistics.median(measured[pages[0][0]]["times"])
    contacts = review.contacts
    print(f"Review {review.reference}: {contacts:,} contacts from {review.participations.count()} agencies.")
    print()
    print("| page | queries | HTML | median ms | ratio to admin |")
    print("| --- | --- | --- | --- | --- |")
    for label, row in measured.items():
        ms = statistics.median(row["times"])
        print(
            f"| {label} (`{row['path']}`) | {row['queries']} | {row['kb']:.0f} KB | {ms:.0f} | {ms / admin:.2f} |"
        )


def template_rows(count):
    from reviews import scenarios
    from reviews.models import IMR

    entries = scenarios.invented_contacts(
        imrs=[IMR()], count=count, first_day=datetime.date(2019, 1, 1), days=5 * 365, seed=7
    )
    for entry in entries:
        yield [
            f"{entry.date:%d/%m/%Y}",
            f"{entry.time:%H:%M}",
            entry.contact_type,
            entry.with_whom,
            entry.practitioner,
            entry.summary,
            "Outcome recorded.",
            "Case notes",
            "",
            "yes" if entry.key_practice_episode else "no",
        ]


def files(count):
    from openpyxl import Workbook

    from reviews.chronology_import import COLUMNS

    rows = list(template_rows(count))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return {
        "CSV": ("chronology.csv", text.getvalue().encode("utf-8")),
        "XLSX": ("chronology.xlsx", xlsx.getvalue()),
    }


def measure_import(runs):
    from django.db import transaction

    from reviews import services
    from reviews.chronology_import import read_upload
    from reviews.models import IMR
    from reviews.permissions import can_write_imr

    # The demo author's own IMR in progress (the invented agencies' IMRs have no grant).
    imr = next(imr for imr in IMR.objects.filter(author__username="author") if can_write_imr(imr.author, imr))
    print()
    print("| file | rows | size | read_upload, median ms | services.chronology_import, median ms | added |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind, (name, content) in files(CONTACTS).items():
        reads, imports = [], []
        for _ in range(runs):
            started = time.perf_counter()
            upload = read_upload(name, content)
            reads.append((time.perf_counter() - started) * 1000)
            assert not upload.problems, upload.problems[:3]
            with transaction.atomic():
                started = time.perf_counter()
                added, _ = services.chronology_import(
                    actor=imr.author, imr=imr, filename=name, content=content
                )
                imports.append((time.perf_counter() - started) * 1000)
                transaction.set_rollback(True)
        print(
            f"| {kind} | {CONTACTS:,} | {len(content) / 1024:.0f} KB | {statistics.median(reads):.0f} "
            f"| {statistics.median(imports):.0f} | {added:,} |"
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required=False)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="measure on the data of an earlier run")
    args = parser.parse_args()
    if not args.database_url:
        parser.error("give --database-url (a PostgreSQL database this script may drop and create)")
    if not args.reuse:
        recreate(args.database_url)
    setup(args.database_url)
    from django.core.management import call_command

    # With DEBUG off, pages link to the collected files by their hashed names.
    call_command("collectstatic", "--noinput", verbosity=0)
    if not args.reuse:
        build()
    measure_pages(args.runs)
    measure_import(args.import_runs)


if __name__ == "__main__":
    main()
