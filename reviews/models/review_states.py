"""A review's stages and its status groups, named once."""

from django.db import models


class ReviewType(models.TextChoices):
    SCR = "scr", "Serious case review"
    CASE_REVIEW = "case", "Case review"
    MANAGEMENT_REVIEW = "management", "Management review"


class ReviewState(models.TextChoices):
    TOR_DRAFTING = "tor_drafting", "Terms of reference drafted"
    TOR_AGREED = "tor_agreed", "Terms of reference agreed and shared"
    AGENCIES_ENGAGED = "agencies_engaged", "Agencies engaged"
    IMRS_IN_PROGRESS = "imrs_in_progress", "IMRs in progress"
    IMRS_SUBMITTED = "imrs_submitted", "IMRs submitted"
    OVERVIEW = "overview", "Overview report"
    AT_BOARD = "at_board", "With the board"
    ACTION_PLAN = "action_plan", "LSCB action plan"
    WITH_OFSTED = "with_ofsted", "Sent to Ofsted and GOL"
    EXECUTIVE_SUMMARY = "executive_summary", "Executive summary"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Status groups: query them through ReviewQuerySet's verbs, never as ad hoc lists.
# A review ends closed (its work done) or withdrawn (the panel stopped it): kept either way, never deleted.
TERMINAL = (ReviewState.CLOSED, ReviewState.WITHDRAWN)
OPEN = tuple(state for state in ReviewState if state not in TERMINAL)
SCR_ONLY = (ReviewState.WITH_OFSTED,)
# Stages at which every agency is still expected to be producing its IMR.
AWAITING_AGENCIES = (
    ReviewState.TOR_AGREED,
    ReviewState.AGENCIES_ENGAGED,
    ReviewState.IMRS_IN_PROGRESS,
)
# Stages before the board has the overview report.
BEFORE_BOARD = (
    ReviewState.TOR_DRAFTING,
    ReviewState.TOR_AGREED,
    ReviewState.AGENCIES_ENGAGED,
    ReviewState.IMRS_IN_PROGRESS,
    ReviewState.IMRS_SUBMITTED,
    ReviewState.OVERVIEW,
)
# Stages before the board has approved the overview report: until then its recommendations are a draft.
BEFORE_APPROVAL = (*BEFORE_BOARD, ReviewState.AT_BOARD)
