#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    # The settings `make run` serves with (DEBUG off, plain http on this machine);
    # `make dev` and the tests name their own.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "geo.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
