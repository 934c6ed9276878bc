from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from checker.analysis import model
from checker.analysis.engine import reset_engine
from checker.analysis.training import build_payload


class Command(BaseCommand):
    help = "Build the classifier from content/training/ into CHECKER_MODEL_PATH (deterministic, atomic)."

    def add_arguments(self, parser):
        parser.add_argument("--if-stale", action="store_true", help="do nothing when the model is up to date")
        parser.add_argument("--output", type=Path, default=None, help="write here instead of CHECKER_MODEL_PATH")

    def handle(self, *args, if_stale=False, output=None, **options):
        path = Path(output or settings.CHECKER_MODEL_PATH)
        if if_stale and model.is_fresh(path):
            self.stdout.write(f"model is up to date: {path}")
            return
        examples = model.load_training_examples()
        payload = build_payload(examples)
        model.save(payload, path)
        reset_engine()
        self.stdout.write(self.style.SUCCESS(f"trained on {len(examples)} examples → {path}"))
