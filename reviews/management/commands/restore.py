from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.management.base import BaseCommand, CommandError

from reviews.backup import BackupError, check_archive, restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into an empty database (migrated first if it has no "
        "tables) and the document storage, then check every row count and document's SHA-256 "
        "against its manifest. Documents already stored are kept; none is written over or deleted."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The scr-backup-….tar.gz file.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace every record of a database that is not empty (documents are still never deleted).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only check that the archive is whole (each document's SHA-256); change nothing.",
        )

    def handle(self, *args, archive, force, check, **options):
        path = Path(archive)
        if not path.is_file():
            raise CommandError(f"No archive at {path}.")
        try:
            if check:
                manifest = check_archive(path)
                self.stdout.write(
                    f"The archive is whole: {len(manifest['documents'])} documents, made "
                    f"{manifest['created_at']} by version {manifest['product']['version']}."
                )
                return
            report = restore(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except SuspiciousFileOperation as error:
            # A document named outside the storage (../, an absolute path): a forged or damaged archive.
            raise CommandError(f"The archive names a document outside the storage: {error}") from error
        self.stdout.write(
            f"Restored {report.counts_checked} tables and {report.documents_checked} documents "
            f"({report.documents_written} written, {report.documents_present} already stored)."
        )
        for label, (expected, actual) in sorted(report.count_mismatches.items()):
            self.stderr.write(f"{label}: {actual} rows, the backup had {expected}")
        for name in report.document_mismatches:
            self.stderr.write(f"{name}: not the file the backup holds")
        for name in report.missing_at_backup:
            self.stderr.write(f"{name}: was already missing when the backup was made")
        if not report.ok:
            raise CommandError("The restore does not match the backup's manifest.")
        self.stdout.write("Every row count and every document's SHA-256 match the manifest.")
