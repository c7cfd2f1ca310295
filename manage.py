#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # settings refuse to load without a usable secret key (openftz/settings.py)
    except ImproperlyConfigured as exc:
        sys.exit(f"OpenFTZ cannot start (无法启动): {exc}")
    execute_from_command_line(sys.argv)
