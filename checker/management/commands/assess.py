import json
import sys

from django.core.management.base import BaseCommand, CommandError

from checker.analysis import InputError, ModelError, assess


def assess_line(line: str) -> dict:
    """One JSON Lines record in, one out. Bad records get an error object; nothing raises."""
    try:
        record = json.loads(line)
    except ValueError:
        return {"id": None, "error": "line is not valid JSON"}
    if not isinstance(record, dict):
        return {"id": None, "error": "line must be a JSON object with 'id' and 'text'"}
    rid = record.get("id")
    text = record.get("text")
    if text is None:
        return {"id": rid, "error": "missing field 'text'"}
    try:
        return {"id": rid, **assess(text).to_dict()}
    except InputError as exc:
        return {"id": rid, "error": exc.message, "code": exc.code}


class Command(BaseCommand):
    help = (
        "Read JSON Lines {id, text} on standard input and write one assessment per line to standard "
        "output, in order (the contract of shared/taxonomy.md). Bad lines get {id, error}; the run goes on."
    )

    def handle(self, *args, **options):
        out = self.stdout
        try:
            from checker.analysis.engine import get_engine

            get_engine()  # a missing or stale model is one clear error, not one per line
        except ModelError as exc:
            raise CommandError(str(exc)) from None
        for line in sys.stdin:
            if not line.strip():
                continue
            out.write(json.dumps(assess_line(line), ensure_ascii=False))
        out.flush()
