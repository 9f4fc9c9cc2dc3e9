"""Back up and restore everything: the database's records and every stored document, in one dated archive.

An archive (`scr-backup-2026-11-30T140512Z.tar.gz`) holds

- `database.json`: every record, in Django's own serialisation (as `dumpdata` writes it, with times
  kept to the microsecond), so that a backup made on
  SQLite restores on PostgreSQL and the other way round. Every row keeps its primary key: the audit
  log, django-guardian's object permissions and django-fsm-log's history name their objects by key,
  and the content types and permissions go with them, so the keys still agree after a restore.
  Sessions are left out: everyone signs in again after a restore.
- `documents/<name>`: every stored document the records name, read through the storage API (a local
  folder or an S3 bucket alike).
- `manifest.json`: when it was made, by which version of the product, on which migrations; the rows
  of each model; the size and SHA-256 of each document.

A restore goes into an empty database (freshly migrated, or emptied with --force) and checks the
result against the manifest. Nothing here deletes a document: a restore adds the missing ones and
refuses to write over a different file of the same name.
"""

import datetime
import hashlib
import io
import json
import tarfile
import tempfile
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import django
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files.base import File
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
DOCUMENTS = "documents/"
# Left out of the backup: signed-in sessions end with a restore.
EXCLUDED_APPS = ("sessions",)
# Rows `migrate` itself makes: their presence does not make a database "not empty".
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "auth.group"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why, in words for the operator."""


@dataclass
class Report:
    """What a restore found: the rows and documents that agree with the manifest, and any that do not."""

    counts_checked: int = 0
    documents_checked: int = 0
    documents_written: int = 0
    documents_present: int = 0
    count_mismatches: dict = field(default_factory=dict)
    document_mismatches: list = field(default_factory=list)
    missing_at_backup: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.count_mismatches and not self.document_mismatches


def product_version() -> str:
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


class ExactEncoder(DjangoJSONEncoder):
    """Django's JSON, but times keep their microseconds (Django's own cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _records():
    """Every row of every model, by model and key; many-to-many links go with their model (as dumpdata does)."""
    for model in apps.get_models():
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in EXCLUDED_APPS:
            continue
        yield from model._base_manager.order_by(meta.pk.name).iterator()


def counted_models():
    """Every model with its own table, many-to-many tables included, but for the sessions."""
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.app_label in EXCLUDED_APPS:
            continue
        yield model


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._base_manager.count() for model in counted_models()}


def file_fields():
    for model in apps.get_models():
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                yield model, model_field


def stored_documents() -> list[tuple[str, str]]:
    """(field, name) of every file a record names, in order."""
    found = set()
    for model, model_field in file_fields():
        names = model._base_manager.exclude(**{model_field.name: ""}).values_list(model_field.name, flat=True)
        label = f"{model._meta.label_lower}.{model_field.name}"
        found.update((label, name) for name in names if name)
    return sorted(found, key=lambda item: (item[1], item[0]))


def storage_of(label: str):
    app_model, _, field_name = label.rpartition(".")
    return apps.get_model(app_model)._meta.get_field(field_name).storage


def applied_migrations() -> list[str]:
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def archive_name(now: datetime.datetime) -> str:
    return f"scr-backup-{now.astimezone(datetime.UTC):%Y-%m-%dT%H%M%SZ}.tar.gz"


class _Hashing(io.RawIOBase):
    """Reads a file through, keeping the SHA-256 and the size of what was read."""

    def __init__(self, stored):
        self.stored, self.sha256, self.size = stored, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.stored.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _sha256(stored) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stored.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes, mtime: float) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(content), mtime, 0o600
    archive.addfile(info, io.BytesIO(content))


@contextmanager
def _snapshot():
    """One consistent view of the database for the whole backup (on PostgreSQL, REPEATABLE READ)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def backup(folder: Path, *, now: datetime.datetime | None = None) -> tuple[Path, dict]:
    """Write one archive into `folder` and return its path and manifest. Never writes over a file."""
    now = now or datetime.datetime.now(datetime.UTC)
    # The archive holds every case: only its owner reads it.
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = folder / archive_name(now)
    if target.exists():
        raise BackupError(f"{target} already exists: it is not written over.")
    partial = target.with_name(target.name + ".partial")
    mtime = now.timestamp()
    partial.touch(mode=0o600, exist_ok=False)
    try:
        with _snapshot(), tempfile.NamedTemporaryFile(suffix=".json") as dump:
            with open(dump.name, "w", encoding="utf-8") as out:
                serializers.serialize("json", _records(), stream=out, cls=ExactEncoder)
            manifest = {
                "format": FORMAT,
                "created_at": now.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z"),
                "product": {"name": "scr", "version": product_version(), "django": django.get_version()},
                "database": connection.vendor,
                "migrations": applied_migrations(),
                "counts": row_counts(),
                "documents": [],
                "missing": [],
            }
            with tarfile.open(partial, "w:gz") as archive:
                info = archive.gettarinfo(dump.name, arcname=DATABASE)
                info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname = mtime, 0o600, 0, 0, "", ""
                with open(dump.name, "rb") as dumped:
                    archive.addfile(info, dumped)
                for label, name in stored_documents():
                    storage = storage_of(label)
                    if not storage.exists(name):
                        manifest["missing"].append({"field": label, "name": name})
                        continue
                    size = storage.size(name)
                    with storage.open(name, "rb") as stored:
                        reader = _Hashing(stored)
                        info = tarfile.TarInfo(DOCUMENTS + name)
                        info.size, info.mtime, info.mode = size, mtime, 0o600
                        archive.addfile(info, reader)
                    if reader.size != size:
                        raise BackupError(f"{name} changed size while it was read.")
                    manifest["documents"].append(
                        {"field": label, "name": name, "size": size, "sha256": reader.sha256.hexdigest()}
                    )
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode(), mtime)
        partial.rename(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target, manifest


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, json.JSONDecodeError) as error:
        raise BackupError(f"This is not a backup of this product: no readable {MANIFEST}.") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This backup's format is {manifest.get('format')!r}; this version reads {FORMAT}.")
    return manifest


def _documents_in(archive: tarfile.TarFile):
    """(name, member) of each document in the archive, read once through in order."""
    for member in archive:
        if member.isfile() and member.name.startswith(DOCUMENTS):
            yield member.name.removeprefix(DOCUMENTS), member


def check_archive(path: Path) -> dict:
    """Return the manifest once every document in the archive has the SHA-256 the manifest gives it."""
    with tarfile.open(path, "r:gz") as archive:
        manifest = read_manifest(archive)
        if DATABASE not in archive.getnames():
            raise BackupError(f"The archive has no {DATABASE}.")
        expected = {document["name"]: document["sha256"] for document in manifest["documents"]}
        found = {name: _sha256(archive.extractfile(member)) for name, member in _documents_in(archive)}
    for name, sha256 in expected.items():
        if found.get(name) != sha256:
            raise BackupError(f"The archive is damaged: {name} is not what its manifest says.")
    return manifest


def database_is_empty() -> bool:
    return all(count == 0 for label, count in row_counts().items() if label not in MADE_BY_MIGRATE)


def reset_sequences() -> None:
    """Set every table's id sequence past its highest key, so new rows after a restore get fresh keys."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(counted_models()))
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def restore(path: Path, *, force: bool = False) -> Report:
    """Restore the archive into this database and its document storage, then check both against the manifest."""
    manifest = check_archive(path)
    if not MigrationRecorder(connection).has_table() or not applied_migrations():
        call_command("migrate", interactive=False, verbosity=0)
    if applied_migrations() != manifest["migrations"]:
        raise BackupError(
            "The backup was made on other migrations than this version of the product has applied. "
            "Restore it with the version that made it "
            f"({manifest['product']['version']}), then upgrade."
        )
    if not force and not database_is_empty():
        raise BackupError(
            "The database already holds records. Restore into a new, migrated database, "
            "or give --force to replace every record in this one."
        )
    report = Report(missing_at_backup=[document["name"] for document in manifest["missing"]])
    with tarfile.open(path, "r:gz") as archive:
        # Documents first, and only those missing: a file already stored under the same name must
        # be the same file; nothing is written over.
        to_write = []
        for document in manifest["documents"]:
            storage = storage_of(document["field"])
            if storage.exists(document["name"]):
                with storage.open(document["name"], "rb") as stored:
                    if _sha256(stored) != document["sha256"]:
                        raise BackupError(
                            f"A different file is already stored as {document['name']}: it is not written over."
                        )
                report.documents_present += 1
            else:
                to_write.append(document)
        wanted = {document["name"]: document for document in to_write}
        for name, member in _documents_in(archive):
            if name not in wanted:
                continue
            content = File(archive.extractfile(member), name=PurePosixPath(name).name)
            content.size = member.size
            saved = storage_of(wanted[name]["field"]).save(name, content)
            if saved != name:
                raise BackupError(f"{name} was stored as {saved}.")
            report.documents_written += 1
        with tempfile.NamedTemporaryFile(suffix=".json") as dump:
            with archive.extractfile(DATABASE) as source:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    dump.write(chunk)
            dump.flush()
            with transaction.atomic():
                call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
                call_command("loaddata", dump.name, verbosity=0)
                reset_sequences()
    # Content types are cached by id in this process; the restored ones may have other ids.
    ContentType.objects.clear_cache()
    counts = row_counts()
    for label, expected in manifest["counts"].items():
        actual = counts.get(label)
        if actual != expected:
            report.count_mismatches[label] = (expected, actual)
    report.counts_checked = len(manifest["counts"])
    for document in manifest["documents"]:
        storage = storage_of(document["field"])
        with storage.open(document["name"], "rb") as stored:
            if _sha256(stored) != document["sha256"]:
                report.document_mismatches.append(document["name"])
        report.documents_checked += 1
    return report
