"""Every URL, for every role, on an object of their own and one of another agency or review: the status.

The table below is the access contract of the pages (access.md), written as data:
one row per URL name, one column per role, and, where the URL takes an object,
one set of statuses for "own" and one for "other":

- own: review R1 (at IMRs in progress, hospital and police taking part, with
  their IMR authors nominated, their IMRs started and reports uploaded), its
  referral (logged by the referrer, decided) and its staff member "Health
  Visitor 1", the hospital's participation, IMR and IMR report on it, an
  undecided referral logged by the referrer, a queued notification of R1 and
  one marked sent. The hospital is the agency of `author` and `agencymanager`,
  so for them these are their own.
- other: another review R2 (just decided, only the school taking part), its
  referral and its staff member "Teacher 1", the police's participation, IMR
  and IMR report on R1 (another agency's; for `author2` and `policemanager`,
  the mirror image: their own), an undecided referral, a queued notification of
  R2 and one marked sent. R2's referral and the undecided one are logged by
  `referrer2`, a referrer of another agency (the hospital) who has no column:
  only referrers log referrals.

Statuses: 200 (204 for the keep-alive, which has nothing to show); 302
(anonymous: to the sign-in page, checked, but for the public redirects of
PUBLIC_REDIRECTS; signed in: the page's own redirect); 403 for a role that may
never use the page; 404 for an object the person has no grant on, so that its
existence does not leak.

Pages that change something show a confirmation page or a form on a GET and
act on the POST: the GET is what is requested, and says who may use the page.
POST-only URLs (no GET handler: `logout`, `session-keep-alive`) are requested with an
empty POST, as the button on the page sends it: a GET answers 405 to everyone
(test_post_only_urls_refuse_get) and says nothing about who may use them. Each
request runs in its own transaction, rolled back, so a POST changes nothing for
the next one.

The scenario is built once for the module (through the services, as in
tests/walk.py) in a transaction rolled back at the end of the module.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.roles import Role
from reviews import services
from reviews.models import ExecutiveSummary, Notification, OutboxMessage, PanelDecision, ReviewState
from reviews.sample_pdf import text_pdf
from tests.factories import AgencyFactory, ExternalBodyFactory, ThemeFactory, UserFactory
from tests.walk import NEXT_MOVE, ReviewWalk

ROLES = [
    "anonymous",
    "referrer",
    "panel",
    "chair",
    "manager",
    "agencymanager",
    "policemanager",
    "author",
    "author2",
    "overview",
    "board",
    "qa",
]

# The scenario


# The personas of tests/conftest.py (its fixtures are per test; this scenario is built once per module).
PERSONAS = {
    "chair": ("Margaret", "Osei", None, [Role.PANEL_CHAIR, Role.PANEL_MEMBER]),
    "panel": ("David", "Kowalski", None, [Role.PANEL_MEMBER]),
    "manager": ("Priya", "Sharma", None, [Role.BUSINESS_MANAGER]),
    "referrer": ("Tom", "Hughes", "school", [Role.REFERRER]),
    "agencymanager": ("Helen", "Baptiste", "hospital", [Role.AGENCY_SENIOR_MANAGER]),
    "policemanager": ("Ian", "Stokes", "police", [Role.AGENCY_SENIOR_MANAGER]),
    "author": ("Grace", "Adeyemi", "hospital", [Role.IMR_AUTHOR]),
    "author2": ("Colin", "Reid", "police", [Role.IMR_AUTHOR]),
    "overview": ("Alison", "Frost", None, [Role.OVERVIEW_AUTHOR]),
    "board": ("Richard", "Okafor", None, [Role.BOARD_MEMBER]),
    "qa": ("Fiona", "MacLeod", None, [Role.QA_SUBGROUP]),
    # Not a column: logs the "other" referrals (only a referrer logs one, in their own agency's name).
    "referrer2": ("Nadia", "Rahman", "hospital", [Role.REFERRER]),
}


def build_world():
    agencies = {
        "hospital": AgencyFactory(name="Leeds Teaching Hospitals", kind="health_trust"),
        "police": AgencyFactory(name="West Yorkshire Police", kind="police"),
        "school": AgencyFactory(name="Beeston Primary School", kind="education"),
    }
    ExternalBodyFactory(name="Ofsted", grades_reports=True)
    ExternalBodyFactory(name="Government Office for London")
    cast = {
        username: UserFactory(
            username=username,
            first_name=first,
            last_name=last,
            agency=agencies[agency] if agency else None,
            roles=roles,
        )
        for username, (first, last, agency, roles) in PERSONAS.items()
    }
    cast |= {"hospital": agencies["hospital"], "police": agencies["police"]}
    walk = ReviewWalk(cast)

    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imrs = {}
    for participation in review.participations.select_related("imr__author", "agency"):
        imr = services.imr_move(actor=participation.imr.author, imr=participation.imr, move="start")
        services.imr_report_upload(
            actor=imr.author, imr=imr, content=text_pdf("IMR report"), filename="imr.pdf"
        )
        services.chronology_entry_add(
            actor=imr.author,
            imr=imr,
            date=timezone.localdate() - datetime.timedelta(days=40),
            contact_type="home visit",
            with_whom="mother",
            practitioner="Health Visitor 1",
            summary="Routine visit.",
        )
        answered = services.recommendation_add(
            actor=imr.author, review=review, imr=imr, text="Share information sooner."
        )
        services.action_item_add(
            actor=imr.author,
            review=review,
            agency=participation.agency,
            description="Agree a protocol.",
            owner="Named lead",
            due_on=timezone.localdate() + datetime.timedelta(days=30),
            success_measure="Audit.",
            recommendation=answered,
        )
        services.interview_record(
            actor=imr.author,
            imr=imr,
            staff=review.involved_staff.get(agency=participation.agency),
            held_on=timezone.localdate(),
            tor_shared_on=timezone.localdate(),
        )
        imrs[participation.agency_id] = imr

    # Another review: another referral, only the school taking part, nobody outside the LSCB assigned.
    other_referral = services.referral_log(
        actor=cast["referrer2"],
        child_name="Sam Doe",
        child_date_of_birth=datetime.date(2022, 6, 1),
        child_unborn=False,
        family_members="",
        incident_date=timezone.localdate() - datetime.timedelta(days=5),
        incident_kind="serious_injury",
        summary="Burns.",
        agencies_involved=[agencies["school"]],
        police_investigating=False,
    )
    services.referral_decide(
        actor=cast["chair"],
        referral=other_referral,
        held_on=timezone.localdate(),
        attendees=[cast["chair"], cast["panel"]],
        criteria={name: name == "criterion_b" for name in PanelDecision.CRITERIA},
        outcome="case",
        rationale="Agencies did not share what they knew.",
        criterion_a_justification="",
    )
    other_review = other_referral.review
    services.involved_staff_add(
        actor=cast["manager"],
        review=other_review,
        agency=agencies["school"],
        pseudonym="Teacher 1",
        real_name="Joan Pike",
        role_title="Class teacher",
    )
    undecided_other = services.referral_log(
        actor=cast["referrer2"],
        child_name="Kai Roe",
        child_date_of_birth=datetime.date(2021, 1, 1),
        child_unborn=False,
        family_members="",
        incident_date=timezone.localdate() - datetime.timedelta(days=2),
        incident_kind="other",
        summary="Neglect.",
        agencies_involved=[agencies["school"]],
        police_investigating=False,
    )

    # A serious case review at its last stage, its summary published (and its overview author
    # `overview`); and a draft summary of R2 never published (written directly: the service
    # takes a summary only once the board has approved the overview report).
    late_review = walk.at(ReviewState.EXECUTIVE_SUMMARY)
    walk.ready(late_review)
    draft_summary = ExecutiveSummary.objects.create(review=other_review, text="Not published.")

    # The overview and the board: R3 at the overview stage (its report written and shared with the
    # hospital's senior manager), R4 with the board, R5 at the LSCB action plan; each written by `overview`.
    at_overview = walk.ready(walk.at(ReviewState.OVERVIEW))
    at_board = walk.at(ReviewState.AT_BOARD)
    at_plan = walk.at(ReviewState.ACTION_PLAN)
    shares = {
        "own": services.overview_share_grant(
            actor=cast["chair"], review=at_overview, shared_with=cast["agencymanager"]
        ),
        "other": services.overview_share_grant(
            actor=cast["chair"], review=review, shared_with=cast["policemanager"]
        ),
    }

    def sent(notification):
        # Recorded as sent by hand, after its e-mail failed.
        OutboxMessage.objects.filter(notification=notification).update(status="failed")
        return services.notification_mark_sent(actor=cast["manager"], notification=notification)

    def evidence(agency, author):
        item = imrs[cast[agency].pk].recommendations.get().actions.get()
        return services.action_evidence_add(
            actor=cast[author], item=item, title="Audit", content=text_pdf("Audit."), filename="audit.pdf"
        ).document

    def by_agency(agency):
        return review.participations.get(agency=cast[agency])

    def report(agency):
        return imrs[cast[agency].pk].documents.get().versions.get()

    # Themes: one active, one retired (themes are never deleted); R5's overview recommendation and R1's
    # hospital IMR recommendation tagged with the first.
    themes = {
        "own": ThemeFactory(name="Information sharing"),
        "other": ThemeFactory(name="Old", retired=True),
    }
    tagged = {
        "own": at_plan.recommendations.get(imr__isnull=True),
        "other": imrs[cast["hospital"].pk].recommendations.get(),
    }
    for recommendation in tagged.values():
        services.recommendation_themes_set(
            actor=cast["chair"], recommendation=recommendation, themes=[themes["own"]]
        )

    # Failed sign-ins: the panel member's ten (a lockout), and three from an address with no username.
    from axes.models import AccessAttempt

    def attempts(username, address, failures):
        return AccessAttempt.objects.create(
            username=username,
            ip_address=address,
            user_agent="Browser",
            http_accept="*/*",
            path_info="/sign-in/",
            get_data="",
            post_data="",
            failures_since_start=failures,
        )

    lockouts = {"own": attempts("panel", "203.0.113.5", 10), "other": attempts(None, "198.51.100.7", 3)}

    return SimpleNamespace(
        cast=cast,
        objects={
            "lockout": lockouts,
            "theme": themes,
            "tagged": tagged,
            "referral": {"own": walk.referral(), "other": undecided_other},
            "late_review": {"own": late_review, "other": other_review},
            "summary": {"own": late_review.executive_summary, "other": draft_summary},
            "review": {"own": review, "other": other_review},
            "staff": {
                "own": review.involved_staff.get(pseudonym="Health Visitor 1"),
                "other": other_review.involved_staff.get(),
            },
            "participation": {"own": by_agency("hospital"), "other": by_agency("police")},
            "imr": {"own": imrs[cast["hospital"].pk], "other": imrs[cast["police"].pk]},
            "template_kind": {"own": "xlsx", "other": "csv"},
            "entry": {
                "own": imrs[cast["hospital"].pk].chronology_entries.get(),
                "other": imrs[cast["police"].pk].chronology_entries.get(),
            },
            "document": {"own": report("hospital"), "other": report("police")},
            "action": {
                "own": imrs[cast["hospital"].pk].recommendations.get().actions.get(),
                "other": imrs[cast["police"].pk].recommendations.get().actions.get(),
            },
            "evidence": {
                "own": evidence("hospital", "author"),
                "other": evidence("police", "author2"),
            },
            "export_fmt": {"own": "csv", "other": "xlsx"},
            "interview": {
                "own": imrs[cast["hospital"].pk].interviews.get(),
                "other": imrs[cast["police"].pk].interviews.get(),
            },
            "recommendation": {
                "own": imrs[cast["hospital"].pk].recommendations.get(),
                "other": imrs[cast["police"].pk].recommendations.get(),
            },
            "notification": {
                "own": Notification.objects.filter(review=review, status="queued").first(),
                "other": Notification.objects.filter(review=other_review, status="queued").first(),
            },
            "overview": {"own": at_overview, "other": review},
            "overview_recommendation": {
                "own": at_overview.recommendations.get(imr__isnull=True),
                "other": at_board.recommendations.get(imr__isnull=True),
            },
            "critique": {
                "own": at_overview.participations.get(agency=cast["hospital"]).imr,
                "other": imrs[cast["police"].pk],
            },
            "share": shares,
            "board": {"own": at_board, "other": at_overview},
            "lscb_plan": {"own": at_plan, "other": at_board},
            # E-mails of R1's and R2's notifications (never sent: the scenario never commits).
            "message": {
                "own": OutboxMessage.objects.filter(review=review).first(),
                "other": OutboxMessage.objects.filter(notification__referral=other_review.referral).first(),
            },
            "sent_notification": {
                "own": sent(Notification.objects.filter(review=review, status="queued").last()),
                "other": sent(Notification.objects.filter(review=other_review, status="queued").last()),
            },
        },
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Keep the module's uploaded files where the scenario put them (conftest gives each test its own)."""
    from scr.celery import app

    app.conf.task_always_eager = True


# How each kind of argument is built from the scenario's objects: (object, URL kwargs).
KWARGS = {
    "referral": ("referral", lambda referral: {"pk": referral.pk}),
    "review": ("review", lambda review: {"pk": review.pk}),
    # R3, a serious case review at "Executive summary", and R2, a case review.
    "late_review": ("late_review", lambda review: {"pk": review.pk}),
    "summary": ("summary", lambda summary: {"pk": summary.pk}),
    # The review's referral: decided, R1's logged by the referrer, R2's by referrer2.
    "decided_referral": ("review", lambda review: {"pk": review.referral_id}),
    # The review's next move on the main path: R1 completes its IMRs, R2 agrees its terms of reference.
    "move": ("review", lambda review: {"pk": review.pk, "move": NEXT_MOVE[review.state][0]}),
    "staff": ("staff", lambda staff: {"pk": staff.review_id, "staff_pk": staff.pk}),
    "participation": ("participation", lambda p: {"pk": p.review_id, "participation_pk": p.pk}),
    "imr": ("imr", lambda imr: {"pk": imr.pk}),
    # The IMRs are in progress: their next move is the author's "submit".
    "imr_move": ("imr", lambda imr: {"pk": imr.pk, "move": "submit"}),
    "document": ("document", lambda version: {"pk": version.pk}),
    "entry": ("entry", lambda entry: {"pk": entry.imr_id, "entry_pk": entry.pk}),
    "template": ("template_kind", lambda kind: {"kind": kind}),
    "recommendation": ("recommendation", lambda r: {"pk": r.imr_id, "number": r.number}),
    "interview": ("interview", lambda i: {"pk": i.imr_id, "interview_pk": i.pk}),
    "action": ("action", lambda item: {"pk": item.pk}),
    "evidence": ("evidence", lambda document: {"pk": document.action_id, "document_pk": document.pk}),
    "export": ("export_fmt", lambda fmt: {"fmt": fmt}),
    # An open action's next move: its owner's "start".
    "action_move": ("action", lambda item: {"pk": item.pk, "move": "start"}),
    "notification": ("notification", lambda notification: {"pk": notification.pk}),
    "overview": ("overview", lambda review: {"pk": review.pk}),
    "overview_recommendation": (
        "overview_recommendation",
        lambda r: {"pk": r.review_id, "number": r.number},
    ),
    "critique": ("critique", lambda imr: {"pk": imr.participation.review_id, "imr_pk": imr.pk}),
    "share": ("share", lambda share: {"pk": share.review_id, "share_pk": share.pk}),
    "board": ("board", lambda review: {"pk": review.pk}),
    "lscb_plan": ("lscb_plan", lambda review: {"pk": review.pk}),
    "sent_notification": ("sent_notification", lambda notification: {"pk": notification.pk}),
    "message": ("message", lambda message: {"pk": message.pk}),
    "theme": ("theme", lambda theme: {"pk": theme.pk}),
    # R5's overview recommendation (the board has approved the report) and R1's hospital IMR one (in progress).
    "tagged": ("tagged", lambda recommendation: {"pk": recommendation.pk}),
    "lockout": ("lockout", lambda attempt: {"pk": attempt.pk}),
}


def row(everyone_else, **statuses):
    """Return a status for every role: those named, and `everyone_else` for the rest."""
    assert set(statuses) <= set(ROLES), set(statuses) - set(ROLES)
    return {role: statuses.get(role, everyone_else) for role in ROLES}


# Who runs reviews: the panel (members and chair) and the business manager.
RUNS = {"panel": 200, "chair": 200, "manager": 200}
# Who sees every review (roles), and who sees R1 through a grant or their agency taking part.
SEES_ALL = ("panel", "chair", "manager", "board", "qa")
ON_R1 = ("agencymanager", "policemanager", "author", "author2")


def only(status, *roles):
    return dict.fromkeys(roles, status)


# The business manager's forms on a review: 403 for anyone else who sees the review, 404 for the rest.
MANAGER_ONLY = {
    "own": row(404, anonymous=302, manager=200, **only(403, "panel", "chair", "board", "qa", *ON_R1)),
    "other": row(404, anonymous=302, manager=200, **only(403, "panel", "chair", "board", "qa")),
}

# The forms of those who run reviews: 403 for anyone else who sees the review, 404 for the rest.
RUNS_ONLY = {
    "own": row(404, anonymous=302, **RUNS, **only(403, "board", "qa", *ON_R1)),
    "other": row(404, anonymous=302, **RUNS, **only(403, "board", "qa")),
}

# url name → (the kind of object it takes, or None) → {variant: {role: status}}
TABLE = {
    # Project pages
    "home": (None, {"-": row(200, anonymous=302)}),
    "healthz": (None, {"-": row(200)}),
    # Unnamed: a temporary redirect to the static icon, for everyone.
    "favicon.ico": (None, {"-": row(302)}),
    # A signed-in person is sent on to their home page.
    "login": (None, {"-": row(302, anonymous=200)}),
    "logout": (None, {"-": row(302)}),
    # "Stay signed in": starts a signed-in person's 30 minutes again; without a session, nothing to keep.
    "session-keep-alive": (None, {"-": row(204, anonymous=403)}),
    # Referrals
    "reviews:referral-list": (None, {"-": row(404, anonymous=302, referrer=200, **RUNS)}),
    # Only a referrer (with an agency) logs a referral: those who run reviews may not (403).
    "reviews:referral-create": (None, {"-": row(403, anonymous=302, referrer=200)}),
    "reviews:referral-detail": (
        "referral",
        {
            "own": row(404, anonymous=302, referrer=200, **RUNS),
            "other": row(404, anonymous=302, **RUNS),
        },
    ),
    "reviews:referral-decide": (
        "referral",
        {
            # The referrer and the business manager see the referral but may not decide: 403.
            "own": row(404, anonymous=302, referrer=403, panel=200, chair=200, manager=403),
            "other": row(404, anonymous=302, panel=200, chair=200, manager=403),
        },
    ),
    # The decided referrals of R1 (the referrer's) and R2 (referrer2's).
    "reviews:referral-decision-correct": (
        "decided_referral",
        {
            "own": row(404, anonymous=302, referrer=403, panel=200, chair=200, manager=403),
            "other": row(404, anonymous=302, panel=200, chair=200, manager=403),
        },
    ),
    # Reviews
    # The tracker lists the open reviews each person may see (tests/reviews/views/test_pages.py
    # checks which): everyone with a review role has one; a referrer has none.
    "reviews:tracker": (None, {"-": row(404, anonymous=302, **only(200, *SEES_ALL, *ON_R1, "overview"))}),
    # A person's own lists: their IMRs, their agency's part in reviews, every action plan's actions.
    "reviews:imr-list": (None, {"-": row(404, anonymous=302, **only(200, "author", "author2"))}),
    "reviews:participation-list": (
        None,
        {"-": row(404, anonymous=302, **only(200, "agencymanager", "policemanager"))},
    ),
    # Every action for those who see every action plan; their agency's for its managers and authors.
    "reviews:action-list": (None, {"-": row(404, anonymous=302, **only(200, *SEES_ALL, *ON_R1))}),
    "reviews:action-export": (
        "export",
        {
            "own": row(404, anonymous=302, **only(200, *SEES_ALL, *ON_R1)),
            "other": row(404, anonymous=302, **only(200, *SEES_ALL, *ON_R1)),
        },
    ),
    # The progress of the action plans, across reviews or on one, and its PDF: those who see every
    # action plan. Anyone else, on the review or not, gets 404 (with a denied row); nothing is
    # prepared yet, so the download sends those who may read it to the page that prepares it.
    "reviews:action-charts": (None, {"-": row(404, anonymous=302, **only(200, *SEES_ALL))}),
    **{
        name: (
            "review",
            {
                "own": row(404, anonymous=302, **only(status, *SEES_ALL)),
                "other": row(404, anonymous=302, **only(status, *SEES_ALL)),
            },
        )
        for name, status in (
            ("reviews:action-progress", 200),
            ("reviews:action-progress-pdf", 200),
            ("reviews:action-progress-pdf-download", 302),
        )
    },
    "reviews:review-detail": (
        "review",
        {
            "own": row(404, anonymous=302, **only(200, *SEES_ALL, *ON_R1)),
            "other": row(404, anonymous=302, **only(200, *SEES_ALL)),
        },
    ),
    # The audit log: to anyone else who sees the review, it does not exist.
    "reviews:review-activity": (
        "review",
        {
            "own": row(404, anonymous=302, **RUNS),
            "other": row(404, anonymous=302, **RUNS),
        },
    ),
    "reviews:review-move": (
        "move",
        {
            # R1's next move (complete the IMRs) is the panel's and the business manager's.
            "own": row(404, anonymous=302, **RUNS),
            # R2's (agree the terms of reference) is the panel's, on its own page: a redirect there.
            "other": row(404, anonymous=302, panel=302, chair=302),
        },
    ),
    "reviews:tor-edit": (
        "review",
        {
            # R1's terms of reference are agreed: no longer editable, 404 for the panel too.
            "own": row(404, anonymous=302, **only(403, "manager", "board", "qa", *ON_R1)),
            "other": row(404, anonymous=302, panel=200, chair=200, **only(403, "manager", "board", "qa")),
        },
    ),
    "reviews:tor-agree": (
        "review",
        {
            # The confirmation page shows, with the reason the move cannot be made (R1 is past it).
            "own": row(
                404, anonymous=302, panel=200, chair=200, **only(403, "manager", "board", "qa", *ON_R1)
            ),
            "other": row(404, anonymous=302, panel=200, chair=200, **only(403, "manager", "board", "qa")),
        },
    ),
    # No PDF prepared yet (R1's agreed ToR is frozen by a task run on commit, and the scenario's
    # transaction never commits): the PDF sends its readers to the page that prepares it.
    "reviews:tor-pdf": (
        "review",
        {
            "own": row(404, anonymous=302, **only(302, *SEES_ALL, *ON_R1)),
            "other": row(404, anonymous=302, **only(302, *SEES_ALL)),
        },
    ),
    "reviews:tor-pdf-page": (
        "review",
        {
            "own": row(404, anonymous=302, **only(200, *SEES_ALL, *ON_R1)),
            "other": row(404, anonymous=302, **only(200, *SEES_ALL)),
        },
    ),
    # Every agency's chronology read together: the panel, the business manager and the review's
    # overview author (R1 and R2 have none yet; tests/reviews/views/test_integrated_chronology.py
    # checks the overview author's 200). Anyone else on the review gets 404, with a denied row.
    "reviews:integrated-chronology": (
        "review",
        {
            "own": row(404, anonymous=302, **RUNS),
            "other": row(404, anonymous=302, **RUNS),
        },
    ),
    # The integrated chronology: the panel and the business manager (R1 has no overview author yet).
    "reviews:integrated-chronology-pdf": (
        "review",
        {"own": row(404, anonymous=302, **RUNS), "other": row(404, anonymous=302, **RUNS)},
    ),
    # Nothing prepared yet: the download sends those who may read it to the page that prepares it.
    "reviews:integrated-chronology-pdf-download": (
        "review",
        {
            "own": row(404, anonymous=302, **only(302, *RUNS)),
            "other": row(404, anonymous=302, **only(302, *RUNS)),
        },
    ),
    "reviews:identity-register": (
        "review",
        {
            "own": row(404, anonymous=302, **RUNS, author=200, author2=200),
            "other": row(404, anonymous=302, **RUNS),
        },
    ),
    # The staff involved: access.md gives the pseudonym → real identity column "view" only, and
    # names no one who writes it; the code gives adding, correcting and withdrawing to those who
    # run reviews.
    "reviews:involved-staff-add": ("review", RUNS_ONLY),
    "reviews:involved-staff-correct": ("staff", RUNS_ONLY),
    "reviews:involved-staff-withdraw": ("staff", RUNS_ONLY),
    "reviews:review-extend": ("review", MANAGER_ONLY),
    "reviews:police-advice-add": ("review", MANAGER_ONLY),
    "reviews:support-meeting-add": ("review", MANAGER_ONLY),
    "reviews:counselling-offer-add": ("review", MANAGER_ONLY),
    # Confirms marking the investigation closed (the POST does it).
    "reviews:police-investigation": ("review", MANAGER_ONLY),
    # Confirm marking a notification sent, or undoing that; to anyone else it does not exist.
    "reviews:notification-sent": (
        "notification",
        {
            "own": row(404, anonymous=302, manager=200),
            "other": row(404, anonymous=302, manager=200),
        },
    ),
    "reviews:notification-undo": (
        "sent_notification",
        {
            "own": row(404, anonymous=302, manager=200),
            "other": row(404, anonymous=302, manager=200),
        },
    ),
    # The outbox is the business manager's: to anyone else it does not exist.
    "reviews:outbox": (None, {"-": row(404, anonymous=302, manager=200)}),
    "reviews:outbox-message": (
        "message",
        {
            "own": row(404, anonymous=302, manager=200),
            "other": row(404, anonymous=302, manager=200),
        },
    ),
    "reviews:outbox-resend": (
        "message",
        {
            "own": row(404, anonymous=302, manager=200),
            "other": row(404, anonymous=302, manager=200),
        },
    ),
    # Agencies and IMRs: "own" is the hospital's, "other" the police's, both on R1.
    # Differs from access.md, which gives securing files and nominating the author to the agency's
    # senior manager alone: the panel and the business manager may do both for any agency.
    "reviews:participation-secure-files": (
        "participation",
        {
            "own": row(404, anonymous=302, **RUNS, agencymanager=200),
            "other": row(404, anonymous=302, **RUNS, policemanager=200),
        },
    ),
    "reviews:participation-nominate": (
        "participation",
        {
            "own": row(404, anonymous=302, **RUNS, agencymanager=200),
            "other": row(404, anonymous=302, **RUNS, policemanager=200),
        },
    ),
    # The IMRs are in progress: not yet visible to the agency's senior manager.
    "reviews:imr-detail": (
        "imr",
        {
            "own": row(404, anonymous=302, **RUNS, author=200),
            "other": row(404, anonymous=302, **RUNS, author2=200),
        },
    ),
    # The chronology: read by whoever may open the IMR; written by its author alone (403 for those
    # who may only read it), until the IMR is submitted.
    # The report's versions: read by whoever may open the IMR; uploaded by its author.
    "reviews:imr-report": (
        "imr",
        {
            "own": row(404, anonymous=302, **RUNS, author=200),
            "other": row(404, anonymous=302, **RUNS, author2=200),
        },
    ),
    "reviews:chronology": (
        "imr",
        {
            "own": row(404, anonymous=302, **RUNS, author=200),
            "other": row(404, anonymous=302, **RUNS, author2=200),
        },
    ),
    **{
        name: (
            kind,
            {
                "own": row(404, anonymous=302, **only(403, *RUNS), author=200),
                "other": row(404, anonymous=302, **only(403, *RUNS), author2=200),
            },
        )
        for name, kind in (
            ("reviews:chronology-entry-add", "imr"),
            ("reviews:chronology-import", "imr"),
            ("reviews:interview-add", "imr"),
            ("reviews:interview-change", "interview"),
            ("reviews:interview-delete", "interview"),
            ("reviews:recommendation-add", "imr"),
            ("reviews:recommendation-change", "recommendation"),
            ("reviews:imr-action-add", "imr"),
            # The feedback meeting: the author's own record (refused by the service until submission).
            ("reviews:imr-feedback", "imr"),
            ("reviews:chronology-entry-change", "entry"),
            ("reviews:chronology-entry-delete", "entry"),
        )
    },
    # The chronology's PDF: whoever may read the chronology; nothing prepared yet, so the
    # download sends them to the page that prepares it.
    "reviews:chronology-pdf": (
        "imr",
        {
            "own": row(404, anonymous=302, **RUNS, author=200),
            "other": row(404, anonymous=302, **RUNS, author2=200),
        },
    ),
    "reviews:chronology-pdf-download": (
        "imr",
        {
            "own": row(404, anonymous=302, **only(302, *RUNS, "author")),
            "other": row(404, anonymous=302, **only(302, *RUNS, "author2")),
        },
    ),
    # The blank template holds nothing confidential: anyone signed in may download it.
    "reviews:chronology-template": (
        "template",
        {"own": row(200, anonymous=302), "other": row(200, anonymous=302)},
    ),
    "reviews:imr-declaration": (
        "imr",
        {
            "own": row(404, anonymous=302, author=200),
            "other": row(404, anonymous=302, author2=200),
        },
    ),
    # "Submit": offered to the IMR's own author only; a move not offered to someone is a 404.
    "reviews:imr-move": (
        "imr_move",
        {
            "own": row(404, anonymous=302, author=200),
            "other": row(404, anonymous=302, author2=200),
        },
    ),
    # An action: those who see every action plan, and the plan's own agency (its senior manager and
    # IMR author); starting it is its owners' alone, a move not offered being a 404.
    # R1's IMRs are being written: their action plans are drafts, seen by the panel, the business
    # manager and the agency's own people; the board and QA see them once the IMR is submitted.
    "reviews:action-detail": (
        "action",
        {
            "own": row(404, anonymous=302, **only(200, *RUNS, "agencymanager", "author")),
            "other": row(404, anonymous=302, **only(200, *RUNS, "policemanager", "author2")),
        },
    ),
    # The owner records progress and uploads evidence; others who see the action are told why not.
    **{
        name: (
            "action",
            {
                "own": row(404, anonymous=302, agencymanager=200, author=200, **only(403, *RUNS)),
                "other": row(404, anonymous=302, policemanager=200, author2=200, **only(403, *RUNS)),
            },
        )
        for name in ("reviews:action-progress-add", "reviews:action-evidence-add")
    },
    # The QA sub-group's monitoring note: on R1's draft plans, nobody's (the QA sub-group's once submitted).
    # A new due date too.
    **{
        name: (
            "action",
            {
                "own": row(404, anonymous=302, **only(403, *RUNS, "agencymanager", "author")),
                "other": row(404, anonymous=302, **only(403, *RUNS, "policemanager", "author2")),
            },
        )
        for name in ("reviews:action-monitoring-note", "reviews:action-due-date")
    },
    # A piece of evidence and its versions: whoever sees the action.
    "reviews:action-evidence-versions": (
        "evidence",
        {
            "own": row(404, anonymous=302, **only(200, *RUNS, "agencymanager", "author")),
            "other": row(404, anonymous=302, **only(200, *RUNS, "policemanager", "author2")),
        },
    ),
    "reviews:action-move": (
        "action_move",
        {
            "own": row(404, anonymous=302, agencymanager=200, author=200),
            "other": row(404, anonymous=302, policemanager=200, author2=200),
        },
    ),
    # The IMR report: the same people as the IMR.
    "reviews:document-download": (
        "document",
        {
            "own": row(404, anonymous=302, **RUNS, author=200),
            "other": row(404, anonymous=302, **RUNS, author2=200),
        },
    ),
    # After the board. R3 is a serious case review at "Executive summary"; R2 a case review, which
    # has no Ofsted step at all (404), and is not yet at the summary's stages (404).
    "reviews:ofsted": (
        "late_review",
        {
            "own": row(404, anonymous=302, **RUNS, **only(403, "board", "qa", "overview", *ON_R1)),
            "other": row(404, anonymous=302),
        },
    ),
    # Ofsted's grade is recorded while the review is with Ofsted: R3 is past it.
    "reviews:ofsted-grade": (
        "late_review",
        {
            "own": row(404, anonymous=302, **only(403, "board", "qa", "overview", *ON_R1)),
            "other": row(404, anonymous=302),
        },
    ),
    "reviews:summary-edit": (
        "late_review",
        {
            "own": row(404, anonymous=302, **RUNS, overview=200, **only(403, "board", "qa", *ON_R1)),
            "other": row(404, anonymous=302),
        },
    ),
    **{
        name: (
            "late_review",
            {
                "own": row(404, anonymous=302, **RUNS, **only(403, "board", "qa", "overview", *ON_R1)),
                "other": row(404, anonymous=302),
            },
        )
        for name in ("reviews:summary-publish", "reviews:summary-sent")
    },
    # The public pages: no sign-in; a summary not published (or outside its window) does not exist.
    "reviews:public-summary-list": (None, {"-": row(200)}),
    "reviews:public-summary": ("summary", {"own": row(200), "other": row(404)}),
    "reviews:public-summary-pdf": ("summary", {"own": row(200), "other": row(404)}),
}

# The overview, the board and the LSCB action plan: "own" is R3 at the overview stage, its report
# written by `overview` and shared with the hospital's senior manager; "other" is R1 (IMRs in
# progress, no overview author, its report shared with the police's senior manager). The report is
# confidential to the panel: to anyone else without a share it does not exist (404, and a denied row);
# the board reads it once it has been sent to the board.
OVERVIEW_READERS = {
    "own": row(404, anonymous=302, **RUNS, agencymanager=200, overview=200),
    "other": row(404, anonymous=302, **RUNS, policemanager=200),
}
# Writing the overview: its author (the panel and the business manager may too) at the overview stage;
# those who only read it get 403.
OVERVIEW_WRITERS = {
    "own": row(404, anonymous=302, **RUNS, agencymanager=403, overview=200),
    "other": row(404, anonymous=302, **only(403, *RUNS, "policemanager")),
}
# Sharing it: the panel only (access.md); others who read it get 403.
OVERVIEW_SHARERS = {
    "own": row(404, anonymous=302, panel=200, chair=200, **only(403, "manager", "agencymanager", "overview")),
    "other": row(404, anonymous=302, panel=200, chair=200, **only(403, "manager", "policemanager")),
}
TABLE |= {
    "reviews:overview": ("overview", OVERVIEW_READERS),
    "reviews:overview-report": ("overview", OVERVIEW_READERS),
    # Commissioning: the panel and the business manager; anyone else who sees the review gets 403.
    "reviews:overview-commission": (
        "overview",
        {
            "own": row(404, anonymous=302, **RUNS, **only(403, "board", "qa", *ON_R1, "overview")),
            "other": row(404, anonymous=302, **RUNS, **only(403, "board", "qa", *ON_R1)),
        },
    ),
    # The declaration: the review's own overview author alone.
    "reviews:overview-declaration": (
        "overview",
        {"own": row(404, anonymous=302, overview=200), "other": row(404, anonymous=302)},
    ),
    "reviews:overview-recommendation-add": ("overview", OVERVIEW_WRITERS),
    # "other" is R4's recommendation: with the board, so nobody changes it (403 for its readers).
    "reviews:overview-recommendation-change": (
        "overview_recommendation",
        {
            "own": OVERVIEW_WRITERS["own"],
            "other": row(404, anonymous=302, **only(403, *RUNS, "overview", "board")),
        },
    ),
    # Assessing an IMR: the overview author and the panel (can_critique_imr); R1's police IMR is not
    # submitted, and R1 not at the overview stage.
    "reviews:overview-critique": (
        "critique",
        {
            "own": row(
                404,
                anonymous=302,
                panel=200,
                chair=200,
                overview=200,
                **only(403, "manager", "agencymanager"),
            ),
            # R1's police IMR is not submitted: there is nothing of it to assess (404).
            "other": row(404, anonymous=302),
        },
    ),
    "reviews:overview-share": ("overview", OVERVIEW_SHARERS),
    "reviews:overview-share-revoke": ("share", OVERVIEW_SHARERS),
    # The board's page: R4 with the board; R3 has not been sent to it (404 for everyone).
    "reviews:board": (
        "board",
        {
            "own": row(404, anonymous=302, **RUNS, overview=200, board=200),
            "other": row(404, anonymous=302),
        },
    ),
    # The LSCB action plan: R5 at the action plan, R4 with the board. Read by those who see every
    # action plan and by the overview author; built by the panel and the business manager once the
    # board has approved the report.
    # "other" is with the board: its plan lists the overview's recommendations still in draft, which
    # the board and QA do not see before the board has approved the report.
    "reviews:lscb-action-plan": (
        "lscb_plan",
        {
            "own": row(404, anonymous=302, **only(200, *SEES_ALL, "overview")),
            "other": row(404, anonymous=302, **only(200, *RUNS, "overview")),
        },
    ),
    "reviews:lscb-action-add": (
        "lscb_plan",
        {
            "own": row(404, anonymous=302, **RUNS, **only(403, "board", "qa", "overview")),
            "other": row(404, anonymous=302, **only(403, *RUNS, "overview")),
        },
    ),
}

# Themes across reviews: read by those who see every review; the list kept by the QA sub-group; a
# recommendation's themes set by the QA sub-group and those who run reviews, on a recommendation they
# may read across reviews. To anyone else they do not exist (404, and a denied row). "own" is an
# active theme, "other" a retired one.
TABLE |= {
    "reviews:theme-list": (None, {"-": row(404, anonymous=302, **only(200, *SEES_ALL))}),
    "reviews:theme-recurrence": (None, {"-": row(404, anonymous=302, **only(200, *SEES_ALL))}),
    "reviews:theme-detail": (
        "theme",
        {
            "own": row(404, anonymous=302, **only(200, *SEES_ALL)),
            "other": row(404, anonymous=302, **only(200, *SEES_ALL)),
        },
    ),
    "reviews:theme-change": (
        "theme",
        {"own": row(404, anonymous=302, qa=200), "other": row(404, anonymous=302, qa=200)},
    ),
    # R1's IMR is in progress: its recommendation is a draft the QA sub-group does not read.
    "reviews:recommendation-themes": (
        "tagged",
        {"own": row(404, anonymous=302, **RUNS, qa=200), "other": row(404, anonymous=302, **RUNS)},
    ),
}

# Signing in safely. The business manager's Locked accounts and the confirmation that clears one
# ("own" a lockout of `panel`, "other" a few failures from an address): to anyone else they do not
# exist (404, and a denied row). Two-factor sign-in for everyone signed in: nobody here has an
# authenticator app, so removing one, or giving its code, sends them on (to the setup page, home).
TABLE |= {
    "accounts:lockout-list": (None, {"-": row(404, anonymous=302, manager=200)}),
    "accounts:lockout-clear": (
        "lockout",
        {"own": row(404, anonymous=302, manager=200), "other": row(404, anonymous=302, manager=200)},
    ),
    "accounts:two-factor-setup": (None, {"-": row(200, anonymous=302)}),
    "accounts:two-factor-remove": (None, {"-": row(302)}),
    "accounts:two-factor-verify": (None, {"-": row(302)}),
}

# URLs answered only to a POST: requested with an empty one (see the module's docstring).
POST_ONLY = {"logout", "session-keep-alive"}

# Redirects for everyone, signed in or not: an anonymous 302 here does not go to the sign-in page.
PUBLIC_REDIRECTS = {"favicon.ico"}

# Namespaces with no rows here, and why.
EXEMPT_NAMESPACES = {
    "admin": "The admin: staff superusers only, its permissions are tested model by model in tests/test_admin.py.",
}


def url_names(resolver=None, namespace=""):
    """Yield every URL name of the URLconf, namespaced; an unnamed URL by its route."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace + (pattern.name or str(pattern.pattern))


def url_for(name, kind, variant, world):
    if name == "favicon.ico":
        return "/favicon.ico"
    if kind is None:
        return reverse(name)
    key, build = KWARGS[kind]
    return reverse(name, kwargs=build(world.objects[key][variant]))


def test_every_url_has_rows_in_the_table():
    names = {name for name in url_names() if name.split(":")[0] not in EXEMPT_NAMESPACES}
    assert sorted(names - set(TABLE)) == [], "URLs without rows in the access table"
    assert sorted(set(TABLE) - names) == [], "rows for URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(TABLE))
def test_every_row_has_each_variant_and_role(name):
    kind, variants = TABLE[name]
    assert sorted(variants) == (["-"] if kind is None else ["other", "own"])
    for statuses in variants.values():
        assert list(statuses) == ROLES


CASES = [
    pytest.param(name, kind, variant, role, status, id=f"{name}/{variant}/{role}")
    for name, (kind, variants) in TABLE.items()
    for variant, statuses in variants.items()
    for role, status in statuses.items()
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kind", "variant", "role", "status"), CASES)
def test_access(world, client, name, kind, variant, role, status):
    url = url_for(name, kind, variant, world)
    if role != "anonymous":
        client.force_login(world.cast[role])
    response = client.post(url) if name in POST_ONLY else client.get(url)
    assert response.status_code == status
    if role == "anonymous" and status == 302:
        to_sign_in = response["Location"].startswith(reverse("login"))
        assert to_sign_in == (name not in PUBLIC_REDIRECTS)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_post_only_urls_refuse_get(world, client, name):
    kind, _ = TABLE[name]
    client.force_login(world.cast["manager"])
    assert client.get(url_for(name, kind, "own", world)).status_code == 405
