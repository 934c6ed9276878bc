#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "checker.settings")
    # Commands that do not serve requests may run without DJANGO_SECRET_KEY (see settings.py).
    if len(sys.argv) > 1 and sys.argv[1] not in {"runserver", "check"}:
        os.environ.setdefault("CHECKER_ONE_OFF_COMMAND", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
