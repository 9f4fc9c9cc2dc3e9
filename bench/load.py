"""Load test: 50 simulated people browse the product for 60 seconds against gunicorn and PostgreSQL.

    .venv/bin/python bench/load.py [--users 50] [--spawn-rate 2] [--time 60] [--reviews 1000]
                                   [--workers N] [--port 8121] [--reuse]

It builds a PostgreSQL database (`scr_load` on DATABASE_SERVER, default
postgres://postgres@127.0.0.1:5432) with the demo data and `manage.py bench_data --reviews
<n>`, unless --reuse finds it built; collects the static files into a temporary folder; starts
gunicorn on 127.0.0.1 with production settings (debug off, a long random secret key, only
127.0.0.1 allowed, the database kept open between requests) but over plain http, since it is
loopback (DJANGO_HTTPS=0); then runs locust headless (bench/locustfile.py): the panel, the
business manager and the IMR authors sign in and browse their home pages, the tracker, review
pages and IMR pages. It prints the requests per second, the median and 95th-percentile times,
the errors, and the same for each page, and exits non-zero if any request failed.

A benchmark, not a test: `make test` never runs it. docs/performance.md keeps its figures.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_ENV = {"SCR_DEMO": "1", "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0"}


def server_url(name):
    base = os.environ.get("DATABASE_SERVER", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def _psql(url, sql, params=None):
    import psycopg2

    connection = psycopg2.connect(url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone() if cursor.description else None
            return str(row[0]) if row else ""
    finally:
        connection.close()


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=sys.stderr)


def build(name, reviews, reuse):
    """Create the database with the demo data and `reviews` more reviews; return its URL."""
    url = server_url(name)
    admin = server_url("postgres")
    if not name.replace("_", "").isalnum():
        raise SystemExit(f"Not a database name: {name!r}")
    exists = _psql(admin, "SELECT 1 FROM pg_database WHERE datname = %s", [name]) == "1"
    if exists and reuse:
        print(f"Reusing {name}.", file=sys.stderr)
        return url
    if exists:
        _psql(admin, f'DROP DATABASE "{name}"')
    _psql(admin, f'CREATE DATABASE "{name}"')
    started = time.perf_counter()
    env = {**os.environ, **BUILD_ENV, "DATABASE_URL": url}
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "demo_data")
    manage(env, "bench_data", "--reviews", str(reviews))
    _psql(url, "ANALYZE")
    print(f"Built {name} in {time.perf_counter() - started:.0f} s.", file=sys.stderr)
    return url


def production_env(database_url, static_root, port):
    """Production settings, over plain http on loopback."""
    return {
        **{key: value for key, value in os.environ.items() if key not in ("SCR_DEMO", "REDIS_URL")},
        "DJANGO_SETTINGS_MODULE": os.environ.get("LOAD_SETTINGS", "scr.settings.base"),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "SITE_URL": f"http://127.0.0.1:{port}",
        # Nothing is sent: browsing queues no e-mail, and none should leave the machine if one were.
        "EMAIL_URL": "consolemail://",
    }


def wait_until_up(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # nosec B310: our own loopback server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The server at {url} did not answer in {seconds} s.")


def run(args):
    database_url = build(args.database, args.reviews, args.reuse)
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    with tempfile.TemporaryDirectory(prefix="scr-load-") as temp:
        static_root = Path(temp) / "static"
        env = production_env(database_url, static_root, args.port)
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        manage(env, "check", "--deploy", "--fail-level", "ERROR")
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "scr.wsgi",
                "--bind",
                f"127.0.0.1:{args.port}",
                "--workers",
                str(workers),
                "--access-logfile",
                "-" if args.access_log else "/dev/null",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            host = f"http://127.0.0.1:{args.port}"
            wait_until_up(f"{host}/healthz")
            # Other work on the machine shows in the figures: say how busy it was.
            before = ", ".join(f"{x:.1f}" for x in os.getloadavg())
            print(f"Load average before the run (1, 5, 15 min): {before}", file=sys.stderr)
            prefix = Path(temp) / "stats"
            locust = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--host",
                    host,
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{args.time}s",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "LOAD_PASSWORD": args.password,
                    "LOAD_USERS": str(args.users),
                    "LOAD_BROWSING_JSON": str(Path(temp) / "browsing.json"),
                },
                check=False,
            )
            errors = report(prefix, Path(temp) / "browsing.json", args, workers)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    if errors or locust.returncode not in (0, 1):
        return 1
    return 0


def report(prefix, browsing_json, args, workers) -> int:
    """Print the figures from locust's CSV; return the number of failed requests."""
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = list(csv.DictReader(stats))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    print()
    print(
        f"{args.users} users (spawn {args.spawn_rate}/s) for {args.time} s, gunicorn {workers} workers, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"Requests: {total['Request Count']}, {float(total['Requests/s']):.1f}/s; "
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms, max {float(total['Max Response Time']):.0f} ms; "
        f"errors {total['Failure Count']}"
    )
    if browsing_json.exists():
        figures = json.loads(browsing_json.read_text())
        for label, key in (("Browsing (all but the sign-in)", "browsing"), ("Steady state", "steady")):
            part = figures[key]
            if part["requests"] < 2:
                print(f"{label}: {part['requests']} requests")
                continue
            what = (
                f", from the last sign-in on ({figures['steady_seconds']:.0f} s)" if key == "steady" else ""
            )
            print(
                f"{label}{what}: {part['requests']} requests; p50 {part['p50']:.0f} ms, "
                f"p95 {part['p95']:.0f} ms, p99 {part['p99']:.0f} ms, max {part['max']:.0f} ms; errors {part['errors']}"
            )
    print(f"Load average after the run (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()
    print("| page | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['Type']} {row['Name']} | {row['Request Count']} | {float(row['Requests/s']):.1f} | "
            f"{row['50%']} | {row['95%']} | {row['99%']} | {float(row['Max Response Time']):.0f} | {row['Failure Count']} |"
        )
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        for row in list(csv.DictReader(failures.open(newline="")))[:20]:
            print(f"Failed: {row['Method']} {row['Name']}: {row['Error']} ({row['Occurrences']} times)")
    return int(total["Failure Count"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument(
        "--spawn-rate", type=float, default=2, help="People arriving per second (default 2: all 50 in 25 s)."
    )
    parser.add_argument("--time", type=int, default=60, help="Seconds of load (default 60).")
    parser.add_argument(
        "--reviews", type=int, default=1000, help="Reviews added to the demo data (default 1000)."
    )
    parser.add_argument(
        "--workers", type=int, default=0, help="gunicorn workers (default twice the cores, plus one)."
    )
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--database", default="scr_load")
    parser.add_argument("--password", default="demo-safeguarding-2026", help="The demo accounts' password.")
    parser.add_argument("--reuse", action="store_true", help="Use the database if it is already built.")
    parser.add_argument("--access-log", action="store_true", help="Print gunicorn's access log.")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
