"""gunicorn's configuration for the production profile: ``make serve`` and the container image both run
``gunicorn --config python:openftz.gunicorn_conf openftz.wsgi`` (see docs/operations.md).

- listens on ``HOST:PORT`` (127.0.0.1:8000 unless set);
- ``2 × cores + 1`` sync workers (gunicorn's own rule of thumb), cores being the CPUs this process may run on;
  ``WEB_CONCURRENCY`` overrides the count;
- refuses to start insecurely: before forking any worker it loads the settings (a missing or short secret key stops it)
  and runs Django's deployment checks, any warning included — DEBUG on, no ALLOWED_HOSTS, cookies or HSTS off.
"""
import os
import sys


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * cores() + 1)
accesslog = "-"
errorlog = "-"
wsgi_app = "openftz.wsgi:application"
# gunicorn's control socket sits at one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn); two servers on one machine
# would take each other's. Nothing here uses it: stop with SIGTERM, reload with SIGHUP.
control_socket_disable = True


def on_starting(server) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openftz.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError
    from django.db import connections

    try:
        django.setup()
    except ImproperlyConfigured as exc:
        sys.exit(f"OpenFTZ cannot start (无法启动): {exc}")
    try:
        call_command("check", deploy=True, fail_level="WARNING")
    except SystemCheckError as exc:
        sys.exit("OpenFTZ refuses to serve insecurely (拒绝以不安全的配置启动; docs/operations.md says which variable "
                 f"to set):\n{exc}")
    connections.close_all()  # no connection is inherited by the forked workers
