from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reviews.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Write one dated archive (scr-backup-<UTC time>.tar.gz) of every record and every stored "
        "document, with a manifest of row counts and SHA-256 sums, into FOLDER (default ./backups)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", nargs="?", default="backups", help="Where the archive goes.")

    def handle(self, *args, folder, **options):
        try:
            path, manifest = backup(Path(folder))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest['counts'])} tables and "
            f"{len(manifest['documents'])} documents to {path}"
        )
        for missing in manifest["missing"]:
            self.stderr.write(f"Not in the document storage, so not in the backup: {missing['name']}")
        if manifest["missing"]:
            raise CommandError(f"{len(manifest['missing'])} documents named by records were not found.")
