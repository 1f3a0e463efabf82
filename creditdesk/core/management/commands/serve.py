"""`creditdesk serve`: the production-grade server (gunicorn, static files by WhiteNoise)."""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.core.wsgi import get_wsgi_application


class Command(BaseCommand):
    help = "Serve creditdesk with gunicorn on HOST:PORT (defaults 127.0.0.1:8000)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("WEB_THREADS", "4")),
            help="Threads per worker (gthread); CPU-bound work gains nothing from more than one per core.",
        )
        parser.add_argument("--no-collectstatic", action="store_true", help="Skip collecting static files first.")

    def handle(self, *args: Any, **options: Any) -> None:
        from gunicorn.app.base import BaseApplication

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)

        # Settings are loaded already (this is a management command): Django's own WSGI handler, not the
        # project's wsgi module, which is the wiring above the kernel.
        application = get_wsgi_application()

        bind = f"{options['host']}:{options['port']}"
        config = {
            "bind": bind,
            "workers": options["workers"],
            "threads": options["threads"],
            "timeout": 60,
            "accesslog": "-",
            # The path without its query string: look-ups such as ?id_number=… must not reach the access log.
            "access_log_format": '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms',
            "errorlog": "-",
            "forwarded_allow_ips": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1"),
        }

        class Server(BaseApplication):
            def load_config(self) -> None:
                for key, value in config.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return application

        self.stdout.write(f"creditdesk serving on http://{bind}/")
        Server().run()
