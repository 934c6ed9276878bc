"""Delete check counts past CHECKER_TRENDS_DAYS. Run it daily, beside purge_expired."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from checker.trends import prune


class Command(BaseCommand):
    help = (
        "Delete the per-day check counts behind /trends/ older than CHECKER_TRENDS_DAYS "
        f"(now {settings.CHECKER_TRENDS_DAYS} days). Safe to run as often as you like."
    )

    def handle(self, *args: object, **options: object) -> None:
        count = prune()
        self.stdout.write(f"Deleted {count} count row(s) older than {settings.CHECKER_TRENDS_DAYS} days.")
