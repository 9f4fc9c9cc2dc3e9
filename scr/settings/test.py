"""The test suite's settings: the embedded default, marked as a demo instance.

Tests run on invented data in a throwaway database, so the demo command may load its
cases there (the sign-in tests and the browser walk start from them).
"""

from scr.settings.base import *  # noqa: F403

DEMO = True
