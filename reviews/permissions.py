"""Who may see and do what (access.md), as named predicates.

Role comes from group membership; the object check from django-guardian grants
given by the services that assign people. Views, templates and the state
machines' transitions all ask these functions, so a rule lives in one place.
"""

from django.conf import settings

from agencies.roles import PANEL, SEES_ALL_REVIEWS, SEES_IDENTITIES, Role
from reviews.models.review_states import BEFORE_APPROVAL, BEFORE_BOARD, ReviewState

# Object permissions granted by the assignment services.
VIEW_REVIEW = "reviews.view_review"
VIEW_IMR = "reviews.view_imr"
CHANGE_IMR = "reviews.change_imr"


def is_panel(user) -> bool:
    return user.is_authenticated and user.has_role(*PANEL)


def is_business_manager(user) -> bool:
    return user.is_authenticated and user.has_role(Role.BUSINESS_MANAGER)


def runs_reviews(user) -> bool:
    """Panel and business manager: they move a review along its stages."""
    return user.is_authenticated and user.has_role(*PANEL, Role.BUSINESS_MANAGER)


def is_overview_author_of(user, review) -> bool:
    return (
        user.is_authenticated and user.has_role(Role.OVERVIEW_AUTHOR) and review.overview_author_id == user.pk
    )


def is_agency_manager_for(user, agency_id) -> bool:
    return (
        user.is_authenticated
        and user.has_role(Role.AGENCY_SENIOR_MANAGER)
        and user.agency_id is not None
        and user.agency_id == agency_id
    )


# Signing in


def can_clear_lockouts(user) -> bool:
    """The business manager sees who is locked out of signing in, and lets them back in."""
    return is_business_manager(user)


def must_use_two_factor(user) -> bool:
    """With REQUIRE_2FA, whoever can see real identities (and staff, for the admin) signs in with a code too."""
    return (
        settings.REQUIRE_2FA and user.is_authenticated and (user.is_staff or user.has_role(*SEES_IDENTITIES))
    )


# Referrals


def can_log_referral(user) -> bool:
    """An agency's safeguarding lead, in the name of their own agency (access.md; docs/access-decisions.md)."""
    return user.is_authenticated and user.has_role(Role.REFERRER) and user.agency_id is not None


def can_view_referral(user, referral) -> bool:
    if runs_reviews(user):
        return True
    return user.is_authenticated and referral.referred_by_id == user.pk


def can_decide_referral(user) -> bool:
    return is_panel(user)


# Reviews


def can_list_reviews(user) -> bool:
    """Whoever may see some review's summary and timeline (access.md); the tracker lists the ones they may."""
    return (
        user.is_authenticated
        and user.is_active
        and user.has_role(
            *SEES_ALL_REVIEWS, Role.OVERVIEW_AUTHOR, Role.AGENCY_SENIOR_MANAGER, Role.IMR_AUTHOR
        )
    )


def sees_all_reviews(user) -> bool:
    return user.is_authenticated and user.has_role(*SEES_ALL_REVIEWS)


def can_view_review(user, review) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(*SEES_ALL_REVIEWS):
        return True
    if is_overview_author_of(user, review):
        return True
    if (
        user.has_role(Role.AGENCY_SENIOR_MANAGER)
        and user.agency_id is not None
        and any(p.agency_id == user.agency_id for p in review.participations.all())
    ):
        return True
    return user.has_role(Role.IMR_AUTHOR) and user.has_perm(VIEW_REVIEW, review)


def can_view_identities(user, review) -> bool:
    """The real people behind the pseudonyms: panel, IMR authors and overview author only."""
    if is_panel(user) or is_business_manager(user) or is_overview_author_of(user, review):
        return True
    return user.has_role(Role.IMR_AUTHOR) and user.has_perm(VIEW_REVIEW, review)


def can_write_tor(user, review) -> bool:
    return is_panel(user)


def is_panel_chair(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PANEL_CHAIR)


def can_withdraw_review(user, review) -> bool:
    """Withdraw a review: the panel decides whether a review is held, and its chair speaks for it."""
    return is_panel_chair(user)


def can_extend_review(user, review) -> bool:
    return is_business_manager(user)


def can_record_police_advice(user, review) -> bool:
    return is_business_manager(user)


def can_organise_staff_support(user, review) -> bool:
    return is_business_manager(user)


def can_manage_review(user, review) -> bool:
    return runs_reviews(user)


def can_send_to_board(user, review) -> bool:
    return runs_reviews(user) or is_overview_author_of(user, review)


def can_board_decide(user, review) -> bool:
    return user.is_authenticated and user.has_role(Role.BOARD_MEMBER)


def can_commission_overview(user, review) -> bool:
    return runs_reviews(user)


# The IMRs are assessed once submitted, beside their return or acceptance, until the report goes to the board.
ASSESSMENT_STAGES = (ReviewState.IMRS_SUBMITTED, ReviewState.OVERVIEW)


def can_assess_imr(user, imr) -> bool:
    """Write the overview's assessment of a submitted IMR: the overview author or the panel, before the board."""
    return (
        imr.submitted_at is not None
        and imr.participation.review.state in ASSESSMENT_STAGES
        and can_critique_imr(user, imr)
    )


def can_read_assessments(user, review) -> bool:
    """The IMR assessments: the panel, the manager, the overview author, and the board once it has the report.

    A manager the report is shared with reads the report, not the assessments of other agencies' IMRs.
    """
    if runs_reviews(user) or is_overview_author_of(user, review):
        return True
    return (
        user.is_authenticated
        and user.has_role(Role.BOARD_MEMBER)
        and review.stage_reached not in BEFORE_BOARD
    )


def can_write_overview(user, review) -> bool:
    """The overview report, its recommendations and the IMR critiques: its author (or the panel and
    manager, on their behalf) while the review is at the overview stage."""
    return review.state == ReviewState.OVERVIEW and (
        is_overview_author_of(user, review) or runs_reviews(user)
    )


def can_share_overview_report(user, review) -> bool:
    """The overview report is confidential to the panel, which may share it with named managers."""
    return is_panel(user)


# Agency participation and IMRs


def can_engage_agency(user, participation) -> bool:
    """Secure the case files and nominate the IMR author: the agency's own senior manager."""
    return is_agency_manager_for(user, participation.agency_id) or runs_reviews(user)


def can_view_imr(user, imr) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if runs_reviews(user):
        return True
    review = imr.participation.review
    if is_overview_author_of(user, review):
        return True
    if is_agency_manager_for(user, imr.participation.agency_id):
        return imr.is_submitted
    # The grant follows the author (nominating and replacing move it): asked only of the author.
    return imr.author_id == user.pk and user.has_role(Role.IMR_AUTHOR) and user.has_perm(VIEW_IMR, imr)


def can_write_imr(user, imr) -> bool:
    """The IMR's own author, until the IMR is submitted, unless the review has been withdrawn."""
    return (
        user.is_authenticated
        and user.has_role(Role.IMR_AUTHOR)
        and imr.is_editable
        and user.has_perm(CHANGE_IMR, imr)
        and not imr.participation.review.is_withdrawn
    )


def can_view_integrated_chronology(user, review) -> bool:
    """Every agency's chronology read together: the panel, the business manager and the review's overview author."""
    return runs_reviews(user) or is_overview_author_of(user, review)


def can_critique_imr(user, imr) -> bool:
    """Return the IMR for more work, or accept it: the overview author, or the panel."""
    return is_overview_author_of(user, imr.participation.review) or is_panel(user)


# Action plans


def can_update_action_plan(user, plan) -> bool:
    if plan.agency_id is None:
        return runs_reviews(user)
    if is_agency_manager_for(user, plan.agency_id):
        return True
    return (
        user.is_authenticated
        and user.has_role(Role.IMR_AUTHOR)
        and user.agency_id == plan.agency_id
        and user.has_perm(VIEW_REVIEW, plan.review)
    )


def can_update_action(user, item) -> bool:
    """An action's owner records its progress and evidence, starts and completes it.

    An agency's action: that agency's senior manager, or its IMR author on the review; the LSCB's
    own: the business manager.
    """
    if item.plan.agency_id is None:
        return is_business_manager(user)
    return can_update_action_plan(user, item.plan)


def can_view_action(user, item) -> bool:
    """Those who see every action plan (the board and QA once it is agreed), its owners, and the overview author for the LSCB's."""
    plan = item.plan
    if runs_reviews(user) or can_update_action_plan(user, plan) or can_update_action(user, item):
        return True
    if can_list_actions(user):
        # The board and the QA sub-group: not an IMR's draft plan (ActionItem.objects.agreed).
        return type(item).objects.agreed().filter(pk=item.pk).exists()
    return plan.is_lscb_plan and is_overview_author_of(user, plan.review)


def sees_agency_actions(user) -> bool:
    """Agency senior managers and IMR authors see their own agency's actions (access.md)."""
    return (
        user.is_authenticated
        and user.agency_id is not None
        and user.has_role(Role.AGENCY_SENIOR_MANAGER, Role.IMR_AUTHOR)
    )


def can_view_lscb_action_plan(user, review) -> bool:
    """The LSCB's own plan: those who see every action plan, and the review's overview author (access.md).

    It lists the overview report's recommendations: before the board has approved the report, only
    those who may read the report in draft (the panel, the business manager, its author) see it.
    """
    if runs_reviews(user) or is_overview_author_of(user, review):
        return True
    return sees_all_reviews(user) and review.stage_reached not in BEFORE_APPROVAL


def can_monitor_actions(user) -> bool:
    return user.is_authenticated and user.has_role(Role.QA_SUBGROUP)


def can_list_actions(user) -> bool:
    """Every action plan, for those who see every review's plans (access.md): panel, manager, board, QA."""
    return sees_all_reviews(user)


def can_view_action_progress(user) -> bool:
    """The progress of the action plans, across reviews or on one: those who see every action plan."""
    return can_list_actions(user)


# Themes across reviews


def can_list_themes(user) -> bool:
    """The themes and how often they recur: those who see every review (panel, manager, board, QA)."""
    return sees_all_reviews(user)


def can_maintain_themes(user) -> bool:
    """Add, rename, describe, retire and restore themes: the QA sub-group alone keeps the list."""
    return user.is_authenticated and user.has_role(Role.QA_SUBGROUP)


def can_tag_themes(user) -> bool:
    """Set a recommendation's themes: the QA sub-group and those who run reviews."""
    return can_maintain_themes(user) or runs_reviews(user)


def can_read_recommendation(user, recommendation) -> bool:
    """Read a recommendation among others across reviews (the twin of Recommendation.objects.visible_to).

    Those who run reviews read them all; the others who see every review read an IMR's once it is
    submitted, and the overview report's once the board has approved the report.
    """
    if runs_reviews(user):
        return True
    if not sees_all_reviews(user):
        return False
    if recommendation.imr_id is not None:
        return recommendation.imr.is_submitted
    return recommendation.review.stage_reached not in BEFORE_APPROVAL


def can_view_audit_log(user) -> bool:
    return runs_reviews(user)


# Documents


def can_view_overview_report(user, review) -> bool:
    """Confidential to the panel, who may share it with named managers (guide §9.2)."""
    if runs_reviews(user) or is_overview_author_of(user, review):
        return True
    if user.is_authenticated and user.has_role(Role.BOARD_MEMBER):
        return review.stage_reached not in BEFORE_BOARD
    return (
        user.is_authenticated
        and review.overview_shares.filter(shared_with=user, revoked_at__isnull=True).exists()
    )


def can_view_document(user, document) -> bool:
    review = document.review
    kind = document.kind
    if kind == "imr_report":
        return can_view_imr(user, document.imr)
    if kind == "overview_report":
        return can_view_overview_report(user, review)
    if kind == "ofsted_pack":
        return runs_reviews(user)
    if kind == "action_evidence":
        return can_view_action(user, document.action)
    # Terms of reference, executive summary and other papers: anyone on the review but a referrer.
    return can_view_review(user, review)


def can_view_tor(user, review) -> bool:
    """Everyone with a view of the review; the referrer role alone has none (access.md)."""
    return can_view_review(user, review)


def can_read_move_note(user, obj, transition: str) -> bool:
    """A move's note is free text about confidential work: shown only to those who may see what it is about."""
    kind = obj._meta.model_name
    if kind == "imr":
        return can_view_imr(user, obj)
    if kind == "actionitem":
        return runs_reviews(user) or can_monitor_actions(user) or can_update_action_plan(user, obj.plan)
    if transition == "withdraw":
        # Why the review was stopped is told to everyone on it: the banner on its pages says it.
        return can_view_review(user, obj)
    if transition in ("send_to_board", "board_approve", "board_return"):
        return can_view_overview_report(user, obj)
    return runs_reviews(user) or is_overview_author_of(user, obj)


def can_list_referrals(user) -> bool:
    return runs_reviews(user) or can_log_referral(user)
