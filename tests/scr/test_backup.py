"""Back up, wipe, restore: every row count and every document's SHA-256 come back, and the product goes on.

Runs on the suite's database: SQLite by default, PostgreSQL in CI, where new rows after the restore
prove the id sequences were set past the restored keys.
"""

import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_fsm_log.models import StateLog
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

from agencies.models import Agency, User
from agencies.roles import Role
from reviews import backup, services
from reviews.management.commands.demo_data import DEMO_PASSWORD
from reviews.models import AuditEvent, Document, DocumentVersion, Review, ReviewState
from reviews.sample_pdf import text_pdf

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime.datetime(2026, 11, 30, 14, 5, 12, tzinfo=datetime.UTC)


def document_sums() -> dict[str, str]:
    """The SHA-256 of every stored document the records name, read back from the storage."""
    sums = {}
    for _label, name in backup.stored_documents():
        with default_storage.open(name, "rb") as stored:
            sums[name] = hashlib.sha256(stored.read()).hexdigest()
    return sums


def dumped(archive) -> list:
    with tarfile.open(archive, "r:gz") as opened:
        return json.load(opened.extractfile("database.json"))


def wipe():
    """What a lost server leaves: no records, no documents. (Only the test deletes; the product never does.)"""
    names = [name for _label, name in backup.stored_documents()]
    call_command("flush", interactive=False, verbosity=0)
    for name in names:
        default_storage.delete(name)
    assert not any(default_storage.exists(name) for name in names)


@pytest.fixture(autouse=True)
def role_groups(transactional_db):
    """The role groups a data migration makes: a transactional test before this one flushed them."""
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture
def world(settings):
    settings.DEMO = True
    call_command("demo_data", stdout=io.StringIO())
    assert Review.objects.count() >= 3
    assert DocumentVersion.objects.filter(document__kind=Document.Kind.IMR_REPORT).exists()
    assert UserObjectPermission.objects.exists() and StateLog.objects.exists()


@pytest.fixture
def small_world(cast, walk):
    """A review with its IMR report: enough for the refusals, quicker than the demo world."""
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imr = services.imr_move(
        actor=cast["author"], imr=review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    services.imr_report_upload(
        actor=cast["author"], imr=imr, content=text_pdf("Report"), filename="report.pdf"
    )


def test_backup_wipe_restore_brings_back_every_row_and_every_document(world, tmp_path):
    counts, sums = backup.row_counts(), document_sums()
    assert len(sums) >= 3

    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").iterdir()
    assert archive.name.startswith("scr-backup-") and archive.name.endswith("Z.tar.gz")
    assert out.getvalue().startswith(
        f"Backed up {sum(counts.values())} rows of {len(counts)} tables and {len(sums)} documents to "
    )
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
        names = opened.getnames()
    assert manifest["counts"] == counts
    assert {d["name"]: d["sha256"] for d in manifest["documents"]} == sums
    assert manifest["missing"] == [] and manifest["database"] == connection.vendor
    assert manifest["migrations"] == backup.applied_migrations()
    assert sorted(names) == sorted(["database.json", "manifest.json", *(f"documents/{n}" for n in sums)])

    wipe()
    assert Review.objects.count() == 0 and User.objects.count() == 0

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    assert out.getvalue() == (
        f"Restored {len(counts)} tables and {len(sums)} documents ({len(sums)} written, 0 already stored).\n"
        "Every row count and every document's SHA-256 match the manifest.\n"
    )
    assert backup.row_counts() == counts
    assert document_sums() == sums
    # Record for record the same: a second backup holds the same data as the first.
    call_command("backup", str(tmp_path / "again"), stdout=io.StringIO())
    [again] = (tmp_path / "again").iterdir()
    assert dumped(again) == dumped(archive)

    assert_sequences_past_every_key()
    # The product goes on: new rows in many tables get fresh keys, and people sign in as before.
    referrer = User.objects.get(username="referrer")
    assert referrer.check_password(DEMO_PASSWORD)
    newcomer = User.objects.create_user(username="newcomer", password="x" * 20)
    newcomer.groups.add(Group.objects.get(name=Role.PANEL_MEMBER))
    review = Review.objects.order_by("pk").first()
    assign_perm("reviews.view_review", newcomer, review)
    referral = services.referral_log(
        actor=referrer,
        child_name="Child Restored",
        child_date_of_birth=datetime.date(2020, 1, 2),
        child_unborn=False,
        family_members="",
        incident_date=timezone.localdate() - datetime.timedelta(days=3),
        incident_kind="other",
        summary="Logged after the restore.",
        agencies_involved=list(Agency.objects.all()[:2]),
        police_investigating=False,
    )
    version = services.document_create(
        actor=User.objects.get(username="manager"),
        review=review,
        kind=Document.Kind.OTHER,
        title="Added after the restore",
        content=text_pdf("After the restore"),
        filename="after.pdf",
    )
    assert referral.agencies_involved.count() == 2
    assert AuditEvent.objects.filter(
        object_id=str(version.pk), object_type="reviews.documentversion"
    ).exists()
    assert backup.row_counts()["reviews.documentversion"] == counts["reviews.documentversion"] + 1


def assert_sequences_past_every_key():
    """On PostgreSQL, each table's id sequence gives a key above every restored one."""
    if connection.vendor != "postgresql":
        return
    behind = []
    with connection.cursor() as cursor:
        for model in backup.counted_models():
            pk = model._meta.pk
            if pk.get_internal_type() not in ("AutoField", "BigAutoField", "SmallAutoField"):
                continue
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [model._meta.db_table, pk.column])
            (sequence,) = cursor.fetchone()
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{model._meta.db_table}"')
            (highest,) = cursor.fetchone()
            if sequence is None or highest is None:
                continue
            cursor.execute(f"SELECT last_value FROM {sequence}")
            (last,) = cursor.fetchone()
            if last < highest:
                behind.append((model._meta.label_lower, last, highest))
    assert behind == []


def test_restore_refuses_a_database_that_holds_records_and_changes_nothing(small_world, tmp_path):
    path, _manifest = backup.backup(tmp_path, now=NOW)
    assert path.name == "scr-backup-2026-11-30T140512Z.tar.gz"
    counts = backup.row_counts()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))

    assert str(refused.value) == (
        "The database already holds records. Restore into a new, migrated database, "
        "or give --force to replace every record in this one."
    )
    assert backup.row_counts() == counts


def test_a_forced_restore_replaces_the_records_and_keeps_every_document(small_world, tmp_path):
    path, manifest = backup.backup(tmp_path, now=NOW)
    sums = document_sums()
    User.objects.create_user(username="after-the-backup", password="x" * 20)
    extra = default_storage.save("documents/kept-after-backup.txt", io.BytesIO(b"kept"))

    report = backup.restore(path, force=True)

    assert report.ok and report.documents_written == 0 and report.documents_present == len(sums)
    assert backup.row_counts() == manifest["counts"]
    assert document_sums() == sums
    # A file the backup does not know is left where it is.
    assert default_storage.exists(extra)


def test_a_different_file_under_a_documents_name_is_not_written_over(small_world, tmp_path):
    path, manifest = backup.backup(tmp_path, now=NOW)
    name = manifest["documents"][0]["name"]
    wipe()
    default_storage.save(name, io.BytesIO(b"not the same file"))

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))

    assert str(refused.value) == f"A different file is already stored as {name}: it is not written over."
    with default_storage.open(name, "rb") as stored:
        assert stored.read() == b"not the same file"
    assert User.objects.count() == 0


def test_a_damaged_archive_is_refused_before_anything_changes(small_world, tmp_path):
    path, manifest = backup.backup(tmp_path, now=NOW)
    damaged = tmp_path / "damaged.tar.gz"
    first = manifest["documents"][0]["name"]
    with tarfile.open(path, "r:gz") as source, tarfile.open(damaged, "w:gz") as target:
        for member in source:
            content = source.extractfile(member).read()
            if member.name == f"documents/{first}":
                content = content[:-1] + b"!"
            target.addfile(member, io.BytesIO(content))
    wipe()

    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(damaged), "--check", stdout=out)
    assert str(refused.value) == f"The archive is damaged: {first} is not what its manifest says."
    with pytest.raises(CommandError):
        call_command("restore", str(damaged))
    assert User.objects.count() == 0
    assert not default_storage.exists(first)

    call_command("restore", str(path), "--check", stdout=out)
    assert out.getvalue() == (
        f"The archive is whole: {len(manifest['documents'])} documents, made 2026-11-30T14:05:12Z "
        f"by version {manifest['product']['version']}.\n"
    )


def test_a_backup_made_by_another_instance_on_sqlite_restores_here(tmp_path, settings):
    """Another instance (its own SQLite database and folder) backs up; this one (PostgreSQL in CI) restores."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'other.sqlite3'}",
        "DOCUMENT_ROOT": str(tmp_path / "other-documents"),
        "SCR_DEMO": "1",
        "DJANGO_SETTINGS_MODULE": "scr.settings.base",
        "REDIS_URL": "",
    }
    for command in (["migrate", "--verbosity", "0"], ["demo_data"], ["backup", str(tmp_path / "backups")]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    [archive] = (tmp_path / "backups").iterdir()
    with tarfile.open(archive, "r:gz") as opened:
        manifest = json.load(opened.extractfile("manifest.json"))
    assert manifest["database"] == "sqlite"
    call_command("flush", interactive=False, verbosity=0)

    report = backup.restore(archive)

    assert report.ok and report.documents_written == len(manifest["documents"]) >= 3
    assert backup.row_counts() == manifest["counts"]
    assert document_sums() == {d["name"]: d["sha256"] for d in manifest["documents"]}
    assert_sequences_past_every_key()
    # The other instance's password hashes come as they were (this suite hashes with MD5, for speed).
    assert User.objects.get(username="chair").password.startswith("pbkdf2_sha256$")
