"""A checkout's settings: what `manage.py` reads unless DJANGO_SETTINGS_MODULE says otherwise.

Debug is on unless DJANGO_DEBUG says otherwise, so that `manage.py` commands run in a fresh
checkout with nothing set. What serves requests (wsgi, asgi, the Celery worker) reads
scr.settings.base, production unless told; the image sets DJANGO_DEBUG=0 and
DJANGO_SETTINGS_MODULE=scr.settings.base for every command it runs.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from scr.settings.base import *  # noqa: F403
