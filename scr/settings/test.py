"""The test suite's settings: the development configuration, marked as a demo instance.

Tests run on invented data in a throwaway database, so the demo command may load its
cases there (the sign-in tests and the browser walk start from them). Debug is off by
default (production); the suite asks for development's settings, the plain static files
storage among them, unless the environment says otherwise. Set in the environment, not
here, so that the processes the tests start (Celery workers) read the same.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "1")

from scr.settings.base import *  # noqa: F403

DEMO = True
