#!/usr/bin/env python
"""The Django demo: vulnerable and safe endpoints for every check the agent makes in a
Django project.

Run it with the agent: `moat-iast run python manage.py runserver --noreload 127.0.0.1:8000`.
The database is created and filled before the server starts; `/__cases` lists the
labelled endpoints.
"""

import os
import sys


def prepare_database():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    from accounts.models import Account

    if not Account.objects.exists():
        Account.objects.bulk_create([
            Account(name="alice", email="alice@example.com", role="admin"),
            Account(name="bob", email="bob@example.com", role="member"),
        ])


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
    if len(sys.argv) > 1 and sys.argv[1] == "runserver":
        prepare_database()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
