"""ASGI entry point, for deployments that prefer an ASGI server."""

from django.core.asgi import get_asgi_application

from creditdesk.cli import settings_or_exit

settings_or_exit(4)  # a missing secret is one line on stderr, not a traceback
application = get_asgi_application()
