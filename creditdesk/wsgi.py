"""WSGI entry point (gunicorn serves `creditdesk.wsgi:application`)."""

from django.core.wsgi import get_wsgi_application

from creditdesk.cli import settings_or_exit

# A missing secret is one line, and exit status 4 is gunicorn's "App failed to load": it stops, not respawns.
settings_or_exit(4)
application = get_wsgi_application()
