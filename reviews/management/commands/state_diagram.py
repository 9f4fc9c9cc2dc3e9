from pathlib import Path

from django.core.management.base import BaseCommand

from reviews.diagram import diagrams_markdown, replace_in


class Command(BaseCommand):
    help = "Print the state machines as Mermaid diagrams, or rewrite them into a Markdown file."

    def add_arguments(self, parser):
        parser.add_argument("--write", metavar="FILE", help="Replace the diagram block in FILE.")

    def handle(self, *args, write=None, **options):
        if write is None:
            self.stdout.write(diagrams_markdown())
            return
        path = Path(write)
        path.write_text(replace_in(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"Diagrams written to {path}.")
