import os

from hypothesis import HealthCheck, settings

# "ci" (the default): a fixed sequence of examples, so that the suite gives the same answer each run,
# modest in number so that the whole package runs in about a minute. "explore": ten times as many,
# different each run, to look for new failures (HYPOTHESIS_PROFILE=explore).
COMMON = {
    "deadline": None,
    "database": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
}
settings.register_profile("ci", max_examples=25, derandomize=True, **COMMON)
settings.register_profile("explore", max_examples=250, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
