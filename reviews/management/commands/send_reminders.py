from django.core.management.base import BaseCommand

from reviews.services import reminders_queue


class Command(BaseCommand):
    help = "Queue today's reminders (what Celery beat runs each morning) and print how many."

    def handle(self, *args, **options):
        count = reminders_queue()
        self.stdout.write(f"Queued {count} reminder{'' if count == 1 else 's'}.")
