from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"
    verbose_name = "Agencies and people"

    def ready(self):
        # The sign-in signals' receivers: every sign-in, failure, lockout and sign-out is audited.
        from agencies import signin  # noqa: F401
