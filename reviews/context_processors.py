from reviews import permissions as perms


def navigation(request):
    """Which menu entries the signed-in person may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "perms_runs_reviews": perms.runs_reviews(user),
        "perms_log_referral": perms.can_log_referral(user),
        "perms_list_referrals": perms.can_list_referrals(user),
    }
