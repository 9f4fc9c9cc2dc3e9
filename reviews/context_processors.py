from django.urls import reverse

from agencies.roles import Role
from reviews import permissions as perms


def navigation(request):
    """Which menu entries the signed-in person may use, in the order the menu shows them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    entries = [
        ("Tracker", "reviews:tracker", perms.can_list_reviews(user)),
        ("Referrals", "reviews:referral-list", perms.can_list_referrals(user)),
        ("Your IMRs", "reviews:imr-list", user.has_role(Role.IMR_AUTHOR)),
        (
            "Your agency",
            "reviews:participation-list",
            bool(user.has_role(Role.AGENCY_SENIOR_MANAGER) and user.agency_id),
        ),
        ("Actions", "reviews:action-list", perms.can_list_actions(user) or perms.sees_agency_actions(user)),
        ("Themes", "reviews:theme-list", perms.can_list_themes(user)),
        ("Outbox", "reviews:outbox", perms.is_business_manager(user)),
        ("Locked accounts", "accounts:lockout-list", perms.can_clear_lockouts(user)),
    ]
    return {
        "navigation": [(label, reverse(name)) for label, name, allowed in entries if allowed],
        "perms_log_referral": perms.can_log_referral(user),
    }
