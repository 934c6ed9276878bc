"""Delete results past their retention period. Run it daily (cron, a systemd timer or the platform's scheduler)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from checker.results import purge_expired


class Command(BaseCommand):
    help = (
        "Delete saved results older than RESULT_RETENTION_DAYS "
        f"(now {settings.RESULT_RETENTION_DAYS} days) and feedback older than FEEDBACK_RETENTION_DAYS "
        f"(now {settings.FEEDBACK_RETENTION_DAYS} days). Safe to run as often as you like."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = purge_expired()
        self.stdout.write(f"Deleted {count} expired result(s) older than {settings.RESULT_RETENTION_DAYS} days.")
