"""System checks: `manage.py check` (and every runserver/migrate) refuses broken content."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Warning, register


@register("content")
def check_content(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from checker.content import ContentError, validate_all

    try:
        validate_all()
    except ContentError as exc:
        return [
            Error(
                f"Invalid content in {exc.path}, field {exc.field}: {exc.message}",
                hint="Fix the file; the schemas are in content/schema/, cues in content/cues.yaml, laws in content/laws.yaml.",
                obj=str(exc.path),
                id="checker.E100",
            )
        ]
    return []


@register("model")
def check_model(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """A missing, stale or unreadable classifier is reported before the first request needs it.

    A warning, not an error: `migrate` and `train` itself must still run while the model is
    missing. Serving refuses it for real: gunicorn logs the reason at start-up and checks answer
    503 while ``/readyz`` says the model is not ready, and `check --deploy --fail-level WARNING` fails.
    """
    from pathlib import Path

    from django.conf import settings

    from checker.analysis.model import ModelError, verify

    try:
        verify(Path(settings.CHECKER_MODEL_PATH))
    except ModelError as exc:
        return [Warning(str(exc), hint="Run `python manage.py train` (or `make model`).", id="checker.W200")]
    return []
