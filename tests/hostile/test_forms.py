"""Every form of the product, posted with hostile input through the whole stack: never an error page.

One row per form page: the URL (as the access table names its object), who may post it, a valid
submission, and which of its fields take hostile text, hostile dates and keys no browser would
send. Hypothesis changes some fields of the valid submission each time and posts it with the test
client, so that middleware, the view, the form and the service all run. Each submission:

- answers 200, 302, 400, 403, 404 or 409, never an error page (an exception fails the test);
- refused (200 or 400, the form shown again), saves nothing: no row of the product's tables is
  added or removed, but for the audit log's record of a refusal or a look;
- accepted (302), keeps the text as typed, with the form's documented cleaning only: surrounding
  white space stripped, a value of invisible characters alone counted as empty (govuk_fields.py).

The scenario is the access table's (tests/scr/test_access_table.py), built once for the module;
each example runs in a savepoint rolled back after it, so examples do not see each other's rows.
Run it on PostgreSQL too: it refuses what SQLite keeps (NUL characters, over-long values).
"""

import datetime
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from reviews import services
from reviews.govuk_fields import TextField
from reviews.models import AuditEvent
from reviews.sample_pdf import text_pdf
from tests.hostile.strategies import ANY_CHAR, date_parts, hostile_text, junk_key
from tests.scr.test_access_table import KWARGS, build_world

# Sixty forms: three fifths of the profile's examples each keeps the whole module near a minute.
FORM_EXAMPLES = settings().max_examples * 3 // 5
ALLOWED = {200, 302, 400, 403, 404, 409}
REFUSED = {200, 400}
# Rows a refused submission may still write: the record of the refusal, and of a look at confidential material.
AUDIT_OF_REFUSAL = {*AuditEvent.LOOKS, AuditEvent.Action.REFUSED, AuditEvent.Action.DENIED}
COUNTED_APPS = {"reviews", "agencies", "django_fsm_log", "guardian", "auth"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        world = build_world()
        # An action of R5's LSCB action plan (the board has approved the report), for the QA sub-group.
        at_plan = world.objects["lscb_plan"]["own"]
        world.submitted_action = services.action_item_add(
            actor=world.cast["manager"],
            review=at_plan,
            agency=None,
            description="Audit the referrals.",
            owner="LSCB Business Manager",
            due_on=today(30),
            success_measure="An audit.",
            recommendation=at_plan.recommendations.filter(imr__isnull=True).first(),
        )
        yield world
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Keep the module's uploaded files where the scenario put them (conftest gives each test its own)."""
    from scr.celery import app

    app.conf.task_always_eager = True


def today(days=0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def obj(w, key, variant="own"):
    return w.objects[key][variant]


@dataclass
class Form:
    """A form page: the URL, its object (an access-table kind), who posts, and what a valid post is."""

    url: str
    kind: str | None
    role: str
    base: Callable = lambda w: {}
    # Text fields → "app.Model.field" that keeps the text once accepted (None: kept transformed, or elsewhere).
    text: dict = field(default_factory=dict)
    dates: tuple = ()
    keys: tuple = ()
    files: tuple = ()
    variant: str = "own"
    kwargs: Callable | None = None
    # Text field → the normalisation its service applies beyond the form's cleaning.
    normal: dict = field(default_factory=dict)

    def path(self, w) -> str:
        if self.kwargs is not None:
            return reverse(self.url, kwargs=self.kwargs(w))
        if self.kind is None:
            return reverse(self.url)
        key, build = KWARGS[self.kind]
        return reverse(self.url, kwargs=build(w.objects[key][self.variant]))

    @property
    def id(self) -> str:
        return self.url.removeprefix("reviews:") + ("" if self.variant == "own" else f"/{self.variant}")


def move(kind, name, role, *, text=None, variant="own", base=None, key=None):
    """A move's confirmation page: a note (or the evidence) and the button."""
    key = key or KWARGS[kind][0]
    url = {"review": "reviews:review-move", "imr": "reviews:imr-move", "action": "reviews:action-move"}[
        kind if kind in ("review", "imr", "action") else "review"
    ]

    def kwargs(w):
        return {"pk": w.objects[key][variant].pk, "move": name}

    return Form(
        url,
        None,
        role,
        base=base or (lambda w: {"note": "Noted."}),
        text=text or {"note": None},
        kwargs=kwargs,
        variant=variant,
    )


def one_space(text: str) -> str:
    return " ".join(text.split())


ACTION_FIELDS = {
    "description": "reviews.ActionItem.description",
    "owner": "reviews.ActionItem.owner",
    "success_measure": "reviews.ActionItem.success_measure",
}


def action_base(recommendation):
    def base(w):
        return {
            "recommendation": str(recommendation(w).pk),
            "description": "Agree a protocol.",
            "owner": "Named Nurse",
            **date_fields("due_on", today(60)),
            "success_measure": "An audit of case files.",
        }

    return base


def staff_base(w):
    return {
        "agency": str(w.cast["hospital"].pk),
        "role_title": "Health visitor",
        "pseudonym": "Health Visitor 9",
        "real_name": "Jane Smith",
        "email": "jane@example.com",
    }


def chronology_base(w):
    return {
        "date": (today(-10)).strftime("%d/%m/%Y"),
        "time": "14:30",
        "contact_type": "home visit",
        "with_whom": "mother",
        "practitioner": "Health Visitor 1",
        "summary": "Routine visit.",
        "outcome": "",
        "source": "",
        "comment": "",
        "key_practice_episode": "no",
    }


CHRONOLOGY_TEXT = {
    "practitioner": "reviews.ChronologyEntry.practitioner",
    "summary": "reviews.ChronologyEntry.summary",
    "outcome": "reviews.ChronologyEntry.outcome",
    "source": "reviews.ChronologyEntry.source",
    "comment": "reviews.ChronologyEntry.comment",
    # Read by chronology_values: hostile text is refused with a message, never stored as typed.
    "date": None,
    "time": None,
}

DECISION_BASE = {
    **{f"criterion_{letter}": "no" for letter in "acdef"},
    "criterion_b": "yes",
    "outcome": "case",
    "rationale": "Agencies did not share what they knew.",
    "criterion_a_justification": "",
}
DECISION_TEXT = {
    "rationale": "reviews.PanelDecision.rationale",
    "criterion_a_justification": "reviews.PanelDecision.criterion_a_justification",
}
DECISION_KEYS = ("outcome", "criterion_a", "criterion_b")

FORMS = [
    # Two-factor sign-in: a hostile "code" is refused (setup) or finds no sign-in waiting for one (verify).
    Form(
        "accounts:two-factor-setup", None, "manager", base=lambda w: {"code": "000000"}, text={"code": None}
    ),
    Form(
        "accounts:two-factor-verify", None, "manager", base=lambda w: {"code": "000000"}, text={"code": None}
    ),
    # Referrals and the panel's decision
    Form(
        "reviews:referral-create",
        None,
        "referrer",
        base=lambda w: {
            "child_name": "Alex Doe",
            **date_fields("child_date_of_birth", datetime.date(2020, 5, 4)),
            "family_members": "Dawn Doe, mother",
            **date_fields("incident_date", today(-3)),
            "incident_kind": "death",
            "summary": "Found injured.",
            "agencies_involved": [str(w.cast["hospital"].pk)],
            "police_investigating": "no",
            "log_another": "on",
        },
        text={
            "child_name": "reviews.Referral.child_name",
            "family_members": "reviews.Referral.family_members",
            "summary": "reviews.Referral.summary",
        },
        dates=("child_date_of_birth", "incident_date"),
        keys=("incident_kind", "agencies_involved", "police_investigating", "child_unborn"),
    ),
    Form(
        "reviews:referral-decide",
        "referral",
        "chair",
        base=lambda w: {
            **date_fields("held_on", today()),
            "attendees": [str(w.cast["chair"].pk)],
            "other_attendees": "Legal adviser",
            **DECISION_BASE,
        },
        text={**DECISION_TEXT, "other_attendees": "reviews.PanelMeeting.other_attendees"},
        dates=("held_on",),
        keys=("attendees", *DECISION_KEYS),
    ),
    Form(
        "reviews:referral-decision-correct",
        "decided_referral",
        "chair",
        base=lambda w: {**DECISION_BASE, "reason": "Recorded wrongly."},
        text={**DECISION_TEXT, "reason": "reviews.PanelDecisionRevision.reason"},
        keys=DECISION_KEYS,
    ),
    # A review and its staff
    Form(
        "reviews:review-extend",
        "review",
        "manager",
        base=lambda w: {
            **date_fields("new_due_date", obj(w, "review").current_due_date + datetime.timedelta(days=30)),
            "reason": "The police asked for more time.",
            "agreed_by": "Chair of the LSCB",
        },
        text={"reason": "reviews.Extension.reason", "agreed_by": "reviews.Extension.agreed_by"},
        dates=("new_due_date",),
    ),
    Form(
        "reviews:police-advice-add",
        "review",
        "manager",
        base=lambda w: {
            **date_fields("given_on", today()),
            "source": "Senior investigating officer",
            "advice": "Staff may discuss the case.",
        },
        text={"source": "reviews.PoliceAdvice.source", "advice": "reviews.PoliceAdvice.advice"},
        dates=("given_on",),
    ),
    Form("reviews:police-investigation", "review", "manager", base=lambda w: {"open": "yes"}, keys=("open",)),
    Form(
        "reviews:involved-staff-add",
        "review",
        "manager",
        base=staff_base,
        text={
            "role_title": "reviews.InvolvedStaff.role_title",
            "pseudonym": "reviews.InvolvedStaff.pseudonym",
            "real_name": "reviews.InvolvedStaff.real_name",
            "email": None,
        },
        keys=("agency",),
    ),
    Form(
        "reviews:involved-staff-correct",
        "staff",
        "manager",
        base=lambda w: {**staff_base(w), "pseudonym": "Health Visitor 1", "reason": "Misspelt."},
        text={
            "role_title": "reviews.InvolvedStaff.role_title",
            "real_name": "reviews.InvolvedStaff.real_name",
            "reason": "reviews.InvolvedStaffRevision.reason",
            "email": None,
        },
        keys=("agency",),
    ),
    Form(
        "reviews:involved-staff-withdraw",
        "staff",
        "manager",
        base=lambda w: {"reason": "Added by mistake."},
        text={"reason": "reviews.InvolvedStaff.withdrawn_reason"},
    ),
    Form(
        "reviews:support-meeting-add",
        "review",
        "manager",
        base=lambda w: {
            "kind": "start",
            **date_fields("held_on", today()),
            "attendees": [str(obj(w, "staff").pk)],
            "notes": "Staff were told what to expect.",
        },
        text={"notes": "reviews.StaffSupportMeeting.notes"},
        dates=("held_on",),
        keys=("kind", "attendees"),
    ),
    Form(
        "reviews:counselling-offer-add",
        "review",
        "manager",
        base=lambda w: {
            "staff": str(obj(w, "staff").pk),
            **date_fields("offered_on", today()),
            "offered_by": "Occupational health",
            "response": "awaiting",
        },
        text={"offered_by": "reviews.CounsellingOffer.offered_by"},
        dates=("offered_on",),
        keys=("staff", "response"),
    ),
    Form(
        "reviews:notification-undo",
        "sent_notification",
        "manager",
        base=lambda w: {"note": "It bounced."},
        text={"note": None},
    ),
    Form("reviews:notification-sent", "notification", "manager"),
    Form("reviews:outbox-resend", "message", "manager"),
    # Terms of reference (R2's are still being drafted)
    Form(
        "reviews:tor-edit",
        "review",
        "chair",
        variant="other",
        base=lambda w: {
            **date_fields("period_start", datetime.date(2020, 1, 1)),
            **date_fields("period_end", today(-1)),
            "focus_areas": "Was information shared?\nWas the child seen?",
            "agencies": [str(w.cast["hospital"].pk)],
            "further_detail": "",
        },
        text={"focus_areas": None, "further_detail": "reviews.TermsOfReference.further_detail"},
        dates=("period_start", "period_end"),
        keys=("agencies",),
    ),
    Form(
        "reviews:tor-agree",
        "review",
        "chair",
        variant="other",
        base=lambda w: {"note": ""},
        text={"note": None},
    ),
    # Agencies
    Form(
        "reviews:participation-secure-files",
        "participation",
        "agencymanager",
        base=lambda w: {"originals_location": "Records office, locked cabinet", "copies_made": "yes"},
        text={"originals_location": "reviews.AgencyParticipation.originals_location"},
        keys=("copies_made",),
    ),
    Form(
        "reviews:participation-nominate",
        "participation",
        "agencymanager",
        base=lambda w: {"author": str(w.cast["author"].pk)},
        keys=("author",),
    ),
    # The IMR
    Form("reviews:imr-declaration", "imr", "author", base=lambda w: {"confirm": "on"}, keys=("confirm",)),
    move("imr", "submit", "author"),
    Form(
        "reviews:interview-add",
        "imr",
        "author",
        base=lambda w: {
            "staff": str(obj(w, "staff").pk),
            **date_fields("held_on", today(-1)),
            **date_fields("tor_shared_on", today(-2)),
            "notes": "Open and reflective.",
        },
        text={"notes": "reviews.Interview.notes"},
        dates=("held_on", "tor_shared_on"),
        keys=("staff",),
    ),
    Form(
        "reviews:interview-change",
        "interview",
        "author",
        base=lambda w: {
            "staff": str(obj(w, "staff").pk),
            **date_fields("held_on", today()),
            **date_fields("tor_shared_on", today()),
            "notes": "Changed.",
        },
        text={"notes": "reviews.Interview.notes"},
        dates=("held_on", "tor_shared_on"),
        keys=("staff",),
    ),
    Form("reviews:interview-delete", "interview", "author"),
    Form(
        "reviews:recommendation-add",
        "imr",
        "author",
        base=lambda w: {"text": "Share sooner."},
        text={"text": "reviews.Recommendation.text"},
    ),
    Form(
        "reviews:recommendation-change",
        "recommendation",
        "author",
        base=lambda w: {"text": "Share much sooner."},
        text={"text": "reviews.Recommendation.text"},
    ),
    Form(
        "reviews:imr-action-add",
        "imr",
        "author",
        base=action_base(lambda w: obj(w, "recommendation")),
        text=ACTION_FIELDS,
        dates=("due_on",),
        keys=("recommendation",),
    ),
    Form(
        "reviews:imr-feedback",
        "imr",
        "author",
        base=lambda w: date_fields("held_on", today()),
        dates=("held_on",),
    ),
    Form("reviews:imr-report", "imr", "author", files=("file",)),
    Form(
        "reviews:chronology-entry-add",
        "imr",
        "author",
        base=chronology_base,
        text=CHRONOLOGY_TEXT,
        keys=("contact_type", "with_whom", "key_practice_episode"),
    ),
    Form(
        "reviews:chronology-entry-change",
        "entry",
        "author",
        base=chronology_base,
        text=CHRONOLOGY_TEXT,
        keys=("contact_type", "with_whom", "key_practice_episode"),
    ),
    Form("reviews:chronology-entry-delete", "entry", "author"),
    # The overview, the board, the LSCB action plan
    Form(
        "reviews:overview-commission",
        "overview",
        "manager",
        base=lambda w: {"author": str(w.cast["overview"].pk)},
        keys=("author",),
    ),
    Form(
        "reviews:overview-declaration",
        "overview",
        "overview",
        base=lambda w: {"confirm": "on"},
        keys=("confirm",),
    ),
    Form("reviews:overview-report", "overview", "overview", files=("file",)),
    Form(
        "reviews:overview-recommendation-add",
        "overview",
        "overview",
        base=lambda w: {"text": "The LSCB should audit."},
        text={"text": "reviews.Recommendation.text"},
    ),
    Form(
        "reviews:overview-recommendation-change",
        "overview_recommendation",
        "overview",
        base=lambda w: {"text": "The LSCB should audit twice."},
        text={"text": "reviews.Recommendation.text"},
    ),
    Form(
        "reviews:overview-critique",
        "critique",
        "overview",
        base=lambda w: {"text": "Thorough."},
        text={"text": "reviews.IMR.overview_critique"},
    ),
    Form(
        "reviews:overview-share",
        "overview",
        "chair",
        base=lambda w: {"shared_with": str(w.cast["policemanager"].pk)},
        keys=("shared_with",),
    ),
    Form("reviews:overview-share-revoke", "share", "chair"),
    move("board", "board_return", "board", text={"note": "reviews.BoardDecision.note"}),
    move("review", "complete_imrs", "manager"),
    Form(
        "reviews:lscb-action-add",
        "lscb_plan",
        "manager",
        base=lambda w: {
            **action_base(lambda w: obj(w, "lscb_plan").recommendations.filter(imr__isnull=True).first())(w),
            "owner_agency": "lscb",
        },
        text=ACTION_FIELDS,
        dates=("due_on",),
        keys=("recommendation", "owner_agency"),
    ),
    # Actions
    Form(
        "reviews:action-progress-add",
        "action",
        "author",
        base=lambda w: {"note": "Protocol drafted."},
        text={"note": "reviews.ProgressUpdate.note"},
    ),
    move("action", "start", "author"),
    Form(
        "reviews:action-evidence-add",
        "action",
        "author",
        base=lambda w: {"title": "Audit of case files"},
        text={"title": None},
        files=("file",),
    ),
    Form("reviews:action-evidence-versions", "evidence", "author", files=("file",)),
    Form(
        "reviews:action-monitoring-note",
        None,
        "qa",
        kwargs=lambda w: {"pk": w.submitted_action.pk},
        base=lambda w: {"note": "On track."},
        text={"note": "reviews.MonitoringNote.note"},
    ),
    Form(
        "reviews:action-due-date",
        None,
        "qa",
        kwargs=lambda w: {"pk": w.submitted_action.pk},
        base=lambda w: {**date_fields("due_on", today(90)), "reason": "Agreed with the owner."},
        text={"reason": None},
        dates=("due_on",),
    ),
    # Themes
    Form(
        "reviews:theme-list",
        None,
        "qa",
        base=lambda w: {"name": "Neglect", "description": ""},
        text={"name": "reviews.Theme.name", "description": None},
        # A theme's name is kept with runs of white space made one (services/themes.py).
        normal={"name": one_space},
    ),
    Form(
        "reviews:theme-change",
        "theme",
        "qa",
        base=lambda w: {"name": "Information sharing", "description": "Sharing.", "retired": ""},
        text={"name": "reviews.Theme.name", "description": None},
        normal={"name": one_space},
        keys=("retired",),
    ),
    Form(
        "reviews:recommendation-themes",
        "tagged",
        "qa",
        base=lambda w: {"themes": [str(obj(w, "theme").pk)]},
        keys=("themes",),
    ),
    # Ofsted and the executive summary (R3 is at the executive summary)
    Form("reviews:ofsted", "late_review", "manager"),
    Form(
        "reviews:ofsted-grade",
        "late_review",
        "manager",
        base=lambda w: {"grade": "good", **date_fields("graded_on", today()), "feedback": "Thorough."},
        text={"feedback": "reviews.Review.ofsted_feedback"},
        dates=("graded_on",),
        keys=("grade",),
    ),
    Form(
        "reviews:summary-edit",
        "late_review",
        "manager",
        base=lambda w: {"title": "Child D", "text": "Child D lived with her mother."},
        text={"title": "reviews.ExecutiveSummary.title", "text": "reviews.ExecutiveSummary.text"},
        # The public page's title is kept on one line, runs of white space made one (services/summary.py).
        normal={"title": one_space},
    ),
    Form(
        "reviews:summary-publish",
        "late_review",
        "manager",
        base=lambda w: {**date_fields("publish_from", today()), **date_fields("publish_until", today(90))},
        dates=("publish_from", "publish_until"),
    ),
    Form(
        "reviews:summary-sent",
        "late_review",
        "manager",
        base=lambda w: date_fields("sent_on", today()),
        dates=("sent_on",),
    ),
    # The PDFs: a confirmation asks for each
    Form("reviews:tor-pdf-page", "review", "manager"),
    Form("reviews:chronology-pdf", "imr", "author"),
    Form("reviews:integrated-chronology-pdf", "review", "manager"),
    Form("reviews:action-progress-pdf", "review", "manager"),
]


def row_counts() -> tuple:
    """How many rows each of the product's tables holds, the audit log's records of refusals and looks apart.

    One query: every example counts twice, some fifty tables each time.
    """
    quote = connection.ops.quote_name
    tables = sorted(
        model._meta.db_table
        for model in apps.get_models()
        if model._meta.app_label in COUNTED_APPS and not model._meta.proxy and model is not AuditEvent
    )
    counts = [f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables]
    refusals = ", ".join(f"'{action.value}'" for action in AUDIT_OF_REFUSAL)
    counts.append(
        f"(SELECT COUNT(*) FROM {quote(AuditEvent._meta.db_table)} WHERE action NOT IN ({refusals}))"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(counts))
        return tuple(zip([*tables, "audit rows but refusals and looks"], cursor.fetchone(), strict=True))


def kept(label_field: str, value: str) -> bool:
    app, model, name = label_field.split(".")
    return apps.get_model(app, model)._default_manager.filter(**{name: value}).exists()


UPLOADS = st.tuples(
    st.sampled_from(
        [
            "report.pdf",
            "../../../etc/passwd.pdf",
            "<script>.pdf",
            "a" * 300 + ".pdf",
            "gnp\u202e.pdf",
            "report.PDF",
            "report",
            ".pdf",
            "rapport é.docx",
            "report.pdf.exe",
            "con.pdf",
            "😀.pdf",
        ]
    )
    | st.text(ANY_CHAR.filter(lambda c: c not in '\x00\r\n"\\'), min_size=1, max_size=30)
    # What Django's own upload object refuses to be called (the test client could not send it).
    .filter(lambda name: os.path.basename(name) not in {"", ".", ".."}),
    st.sampled_from([b"", b"%PDF-", b"PK\x03\x04", b"<html><script>alert(1)</script>", b"MZ\x90\x00"])
    | st.binary(max_size=200)
    | st.just(None),
)


def submission(form: Form, w, data) -> tuple[dict, dict]:
    """Draw a submission: the valid one with some fields made hostile. Return it and the hostile text."""
    post = form.base(w)
    typed = {}
    for name in form.text:
        if data.draw(st.booleans(), label=f"change {name}"):
            post[name] = typed[name] = data.draw(hostile_text(), label=name)
    for name in form.dates:
        if data.draw(st.booleans(), label=f"change {name}"):
            day, month, year = data.draw(date_parts(), label=name)
            post |= {f"{name}_day": day, f"{name}_month": month, f"{name}_year": year}
    for name in form.keys:
        if data.draw(st.booleans(), label=f"change {name}"):
            post[name] = data.draw(st.lists(junk_key(), max_size=3) | junk_key(), label=name)
    for name in form.files:
        filename, content = data.draw(UPLOADS, label=name)
        content = text_pdf("A report.") if content is None else content
        post[name] = SimpleUploadedFile(filename, content)
    if data.draw(st.booleans(), label="extra fields"):
        # Fields the form does not have, as a forged request adds.
        post |= data.draw(
            st.dictionaries(
                st.sampled_from(["id", "pk", "state", "actor", "csrfmiddlewaretoken", "__proto__"]),
                hostile_text(long=False),
                max_size=3,
            )
        )
    return post, typed


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=lambda form: form.id)
def test_form_survives_hostile_input(world, form):
    url = form.path(world)
    user = world.cast[form.role]
    answers = Counter()

    @given(data=st.data())
    @settings(max_examples=FORM_EXAMPLES)
    def post_hostile(data):
        post, typed = submission(form, world, data)
        with transaction.atomic():
            client = Client()
            client.force_login(user)
            before = row_counts()
            last_audit = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
            response = client.post(url, post)
            status = response.status_code
            answers[status] += 1
            assert status in ALLOWED, status
            if status in REFUSED:
                added = list(AuditEvent.objects.filter(pk__gt=last_audit).values_list("action", "summary"))
                assert row_counts() == before, f"a refused submission saved something; audit rows: {added}"
            elif status == 302:
                for name, value in typed.items():
                    where = form.text[name]
                    expected = form.normal.get(name, str)(TextField(required=False).clean(value))
                    if where and expected:
                        assert kept(where, expected), f"{name} was not kept as typed in {where}"
            transaction.set_rollback(True)

    post_hostile()
    # Which answers the examples met (shown with -s): a form never accepted tests its refusals only.
    print(f"{form.id}: {dict(sorted(answers.items()))}")


def test_every_form_page_is_in_the_table():
    """Every URL whose view handles a form is posted with hostile input here, or in the importer's tests."""
    posted = {form.url for form in FORMS}
    elsewhere = {
        "reviews:chronology-import": "tests/hostile/test_chronology_import.py",
        "login": "tests/hostile/test_sign_in.py",
        "logout": "A POST with nothing to type.",
        "accounts:lockout-clear": "A confirmation with nothing to type.",
        "session-keep-alive": "A POST with nothing to type (tests/scr/test_sessions.py).",
        "accounts:two-factor-remove": "A confirmation with nothing to type.",
    }
    from tests.scr.test_access_table import TABLE

    pages = set(TABLE)
    readonly = {name for name in pages if name not in posted and name not in elsewhere}
    assert sorted(readonly) == sorted(READ_ONLY)


# Pages with no form to post: lists (their filters are tried in test_filters.py), details, downloads.
READ_ONLY = {
    "home",
    "accounts:lockout-list",
    "healthz",
    "favicon.ico",
    "reviews:referral-list",
    "reviews:referral-detail",
    "reviews:tracker",
    "reviews:imr-list",
    "reviews:participation-list",
    "reviews:action-list",
    "reviews:action-export",
    "reviews:action-charts",
    "reviews:action-progress",
    "reviews:action-progress-pdf-download",
    "reviews:review-detail",
    "reviews:review-activity",
    "reviews:identity-register",
    "reviews:outbox",
    "reviews:outbox-message",
    "reviews:tor-pdf",
    "reviews:integrated-chronology",
    "reviews:integrated-chronology-pdf-download",
    "reviews:overview",
    "reviews:board",
    "reviews:lscb-action-plan",
    "reviews:imr-detail",
    "reviews:chronology",
    "reviews:chronology-pdf-download",
    "reviews:chronology-template",
    "reviews:document-download",
    "reviews:action-detail",
    "reviews:theme-recurrence",
    "reviews:theme-detail",
    "reviews:public-summary-list",
    "reviews:public-summary",
    "reviews:public-summary-pdf",
}
