#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payakumbuh_sosial.settings")
    # The command line defaults to development (SQLite, no SECRET_KEY needed), so a fresh checkout
    # can run `manage.py makemigrations` or `runserver` as is. The WSGI/ASGI entry points keep the
    # strict default (DEBUG off, SECRET_KEY required). On a server, run commands with the service's
    # environment loaded, which sets DEBUG=0 (README, "Deployment").
    os.environ.setdefault("DEBUG", "1")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
