"""The outbox with a real Celery worker on Redis and PostgreSQL, and a mail server the test reads.

Each test starts its worker(s) as the README says (`celery -A scr worker`, prefork, one child) in
a subprocess, pointed at the test database, the Redis of REDIS_URL and an aiosmtpd server run by
the test. CI sets REQUIRE_SERVICES=1, so there a missing service fails these tests rather than
skipping them.
"""

import asyncio
import datetime
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from agencies.roles import Role
from reviews import services
from reviews.models import ActionItem, Milestone, OutboxMessage, ReviewState
from tests.conftest import require_service_check

BASE_DIR = Path(__file__).resolve().parents[2]
DAY = datetime.timedelta(days=1)
TODAY = timezone.localdate
# Retries come quickly here: two after the first attempt, a second apart and then two.
RETRIES = 2
VISIBILITY_TIMEOUT = 5


def _redis_ok(url: str) -> bool:
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


class MailServer:
    """An SMTP server on a free port that keeps every message; it can refuse, or hold the first one."""

    def __init__(self):
        self.messages = []
        self.refuse = False
        self.hold_first = False
        self.holding = threading.Event()
        self._held = False
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hold_first and not self._held:
            # The worker waits here, mid-task, for the test to kill it.
            self._held = True
            self.holding.set()
            await asyncio.sleep(60)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Message refused"
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def subjects(self, containing=""):
        return sorted(str(m["Subject"]) for m in self.messages if containing in str(m["Subject"]))


class Workers:
    """Celery workers in subprocesses, each with one pool child, stopped at the end of the test."""

    def __init__(self, env, logs: Path):
        self.env = env
        self.logs = logs
        self.processes: list[subprocess.Popen] = []

    def start(self, name: str) -> subprocess.Popen:
        log = self.logs / f"{name}.log"
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "scr",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-O",
                "fair",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
                "-n",
                f"{name}@%h",
            ],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            # Its own process group: the test can kill the worker and its child at once.
            start_new_session=True,
        )
        self.processes.append(process)
        deadline = time.monotonic() + 60
        while " ready." not in log.read_text():
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the worker did not start:\n{log.read_text()}"
            time.sleep(0.2)
        return process

    def pool_child(self, process: subprocess.Popen) -> int:
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert len(children) == 1, children
        return int(children[0])

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(check, timeout=60, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    pytest.fail(f"Timed out waiting for {what}")


@pytest.fixture
def services_up(transactional_db):
    require_service_check("PostgreSQL", "postgresql" in settings.DATABASES["default"]["ENGINE"])
    require_service_check("Redis", _redis_ok(os.environ.get("REDIS_URL", "")))
    for role in Role:
        Group.objects.get_or_create(name=role)


@pytest.fixture
def mail_server():
    server = MailServer()
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def workers(services_up, mail_server, settings, tmp_path):
    import redis

    from scr.celery import app

    url = os.environ["REDIS_URL"]
    # This test's broker queue starts empty: nothing left over from an earlier run.
    redis.Redis.from_url(url).delete("celery", "unacked", "unacked_index", "unacked_mutex")
    app.conf.task_always_eager = False
    app.conf.broker_url = url
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "0",
        "REDIS_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{mail_server.port}",
        "EMAIL_TIMEOUT": "120",
        "DOCUMENT_ROOT": str(settings.MEDIA_ROOT),
        "OUTBOX_MAX_RETRIES": str(RETRIES),
        "OUTBOX_RETRY_BACKOFF": "1",
        "DJANGO_SETTINGS_MODULE": "scr.settings.base",
        # A task whose worker vanished whole goes to the next worker after this many seconds.
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    running = Workers(env, tmp_path)
    yield running
    running.stop()
    app.conf.task_always_eager = True


def _sent(**filters):
    return OutboxMessage.objects.filter(status="sent", **filters).count()


def test_a_stage_move_sends_one_e_mail_per_body(workers, mail_server, walk, cast):
    workers.start("one")
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    services.review_move(actor=cast["chair"], review=review, move="agree_terms_of_reference")
    # On commit: the worker renders the terms of reference, attaches them, then e-mails each body.
    wait_for(lambda: _sent(notification__kind="tor") == 2, what="notification 2 sent", timeout=120)
    time.sleep(2)  # time for a duplicate to arrive, were there one
    subject = f"{review.reference}: terms of reference agreed"
    assert mail_server.subjects(subject) == [subject, subject]
    tor_mails = [m for m in mail_server.messages if str(m["Subject"]) == subject]
    assert sorted(m["To"] for m in tor_mails) == [
        "government.office.for.london@example.org",
        "ofsted@example.org",
    ]
    for message in tor_mails:
        (attachment,) = [part for part in message.walk() if part.get_filename()]
        assert attachment.get_filename() == f"{review.reference}-terms-of-reference.pdf"
        assert attachment.get_payload(decode=True).startswith(b"%PDF")
    assert set(review.notifications.filter(kind="tor").values_list("status", "sent_by_email")) == {
        ("sent", True)
    }


def _due_in_a_week(walk):
    review = walk.decided()
    Milestone.objects.filter(review=review, kind="tor_agreed").update(due_on=TODAY() + 7 * DAY)
    return review


def test_the_sweep_run_twice_sends_each_reminder_once(workers, mail_server, walk, cast):
    from reviews.tasks import send_reminders

    workers.start("one")
    review = _due_in_a_week(walk)
    send_reminders.delay()
    send_reminders.delay()
    subject = f"{review.reference}: terms of reference due in 7 days"
    wait_for(lambda: mail_server.subjects(subject), what="the reminder")
    wait_for(lambda: not OutboxMessage.objects.filter(status="queued", kind="reminder").exists())
    time.sleep(2)
    assert mail_server.subjects(subject) == [subject]
    (reminder,) = [m for m in mail_server.messages if str(m["Subject"]) == subject]
    assert (reminder["To"], reminder["Cc"]) == ("chair@example.org", "manager@example.org")


def test_two_workers_sweeping_at_once_send_each_reminder_once(workers, mail_server, walk, cast):
    from reviews.tasks import send_reminders

    workers.start("one")
    workers.start("two")
    review = walk.ready(walk.at(ReviewState.ACTION_PLAN))
    plan = review.action_plans.get(agency__isnull=True)
    items = ActionItem.objects.bulk_create(
        ActionItem(plan=plan, description=f"Action {i}", owner="LSCB", due_on=TODAY() + offset * DAY)
        for i in range(20)
        for offset in (14, 7, 1, 0, -7)
    )
    keys = [f"reminder:action:{item.pk}:" for item in items]
    ours = OutboxMessage.objects.filter(kind="reminder", idempotency_key__regex=r"^reminder:action:")
    # Four sweeps, two workers: they run at the same time.
    for _ in range(4):
        send_reminders.delay()
    wait_for(
        lambda: (
            sum(ours.filter(status="sent", idempotency_key__startswith=key).count() for key in keys) == 100
        ),
        what="every reminder sent",
        timeout=120,
    )
    time.sleep(3)
    mine = [m for m in ours if any(m.idempotency_key.startswith(key) for key in keys)]
    assert len(mine) == 100
    # One e-mail each: the mail server saw each message's Message-ID once.
    seen = [str(m["Message-ID"]) for m in mail_server.messages]
    for message in mine:
        assert seen.count(f"<outbox-{message.pk}@example.org>") == 1


def test_a_worker_killed_mid_send_delivers_exactly_once(workers, mail_server, walk, cast):
    mail_server.hold_first = True
    worker = workers.start("one")
    referral = walk.referral()
    # The first e-mail is mid-send: the pool's child waits on the mail server. Kill it.
    assert mail_server.holding.wait(timeout=60), "no e-mail reached the mail server"
    os.kill(workers.pool_child(worker), signal.SIGKILL)
    # The worker replaces its child and runs the lost task again (acks_late, reject_on_worker_lost).
    messages = OutboxMessage.objects.filter(notification__referral=referral)
    wait_for(lambda: messages.filter(status="sent").count() == 2, what="both e-mails sent", timeout=90)
    time.sleep(2)
    subject = f"{referral.reference}: a case will be considered for a serious case review"
    assert mail_server.subjects(subject) == [subject, subject]
    assert sorted(m["To"] for m in mail_server.messages) == [
        "government.office.for.london@example.org",
        "ofsted@example.org",
    ]
    # The killed attempt's transaction was rolled back with its connection: one attempt each.
    assert sorted(messages.values_list("attempts", flat=True)) == [1, 1]
    assert worker.poll() is None


def test_a_whole_worker_killed_mid_send_and_started_again_delivers_exactly_once(
    workers, mail_server, walk, cast
):
    mail_server.hold_first = True
    worker = workers.start("one")
    referral = walk.referral()
    assert mail_server.holding.wait(timeout=60), "no e-mail reached the mail server"
    # The worker and its child die together, the task unacknowledged; then a worker starts again.
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    # Redis hands an unacknowledged task on once its visibility timeout has passed; a worker
    # restores such tasks as it starts (and every 100 seconds after).
    time.sleep(VISIBILITY_TIMEOUT + 1)
    workers.start("again")
    messages = OutboxMessage.objects.filter(notification__referral=referral)
    wait_for(lambda: messages.filter(status="sent").count() == 2, what="both e-mails sent", timeout=90)
    time.sleep(2)
    assert sorted(m["To"] for m in mail_server.messages) == [
        "government.office.for.london@example.org",
        "ofsted@example.org",
    ]
    assert sorted(messages.values_list("attempts", flat=True)) == [1, 1]


def test_a_refusing_mail_server_is_retried_then_the_message_fails(workers, mail_server, walk, cast):
    mail_server.refuse = True
    workers.start("one")
    referral = walk.referral()
    messages = OutboxMessage.objects.filter(notification__referral=referral)
    wait_for(lambda: messages.filter(status="failed").count() == 2, what="both e-mails failed", timeout=90)
    for message in messages:
        assert message.attempts == RETRIES + 1
        assert message.last_error.startswith("SMTPDataError: (554, b'5.7.1 Message refused')")
    assert mail_server.messages == []
    assert set(referral.notifications.values_list("status", flat=True)) == {"queued"}
