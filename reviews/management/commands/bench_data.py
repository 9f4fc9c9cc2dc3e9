"""Add many invented reviews to a demo instance, for benchmarks of the lists and the tracker.

`manage.py bench_data --reviews 5000` adds 5,000 reviews on top of the demo data
(loaded first if its people are missing): spread over every stage and every type,
most open and some closed, decided over the last two years so that some are
overdue, some due soon and some not yet, some extended. Each review has what the
product would have given it by its stage: its referral and the panel's decision,
its milestones (done up to its stage), two to four agencies, their IMRs from the
IMR stage on, recommendations and action plans, notifications, the state log and
the audit log. Some IMRs are written by the demo authors and some reviews involve
the demo agency manager's hospital, so the demo people see part of it.

Rows are written with bulk inserts; the references come from the product's own
counters, moved on past the ones taken, so the next referral or review the product
opens follows on. The same seed on the same day adds the same cases; every run
adds new rows.
"""

import datetime
import math
import random
import time
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_fsm_log.models import StateLog
from guardian.shortcuts import assign_perm

from agencies.models import Agency, User
from agencies.roles import Role
from reviews import deadlines
from reviews import permissions as perms
from reviews.management.commands.demo_data import AGENCIES as DEMO_AGENCIES
from reviews.management.commands.demo_data import DEMO_PASSWORD, PEOPLE
from reviews.models import (
    IMR,
    ActionItem,
    ActionPlan,
    ActionState,
    AgencyParticipation,
    AuditEvent,
    BoardDecision,
    ExecutiveSummary,
    Extension,
    ExternalBody,
    FocusArea,
    IMRState,
    InvolvedStaff,
    Milestone,
    Notification,
    NotificationKind,
    PanelDecision,
    PanelMeeting,
    PoliceAdvice,
    Recommendation,
    ReferenceCounter,
    Referral,
    Review,
    ReviewState,
    ReviewType,
    StaffSupportMeeting,
    TermsOfReference,
)
from reviews.models.review_states import OPEN, SCR_ONLY
from reviews.preconditions import move_label
from reviews.services.common import long_date
from reviews.services.imr import _grant_imr
from reviews.services.referral import REVIEW_PREFIX

DEFAULT_SEED = 2026
BATCH = 2000
# Decisions reach back this many days; open reviews are overdue, due soon or not yet in these shares.
REACH_DAYS = 730
AMBER_DAYS = 14
CLOSED_SHARE = 0.2
EXTENDED_SHARE = 0.15
RAG_WEIGHTS = {"red": 0.4, "amber": 0.2, "green": 0.4}
# One IMR in this many of the hospital's (the police's) is written by the demo author (author2).
DEMO_AUTHOR_EVERY = 5
# Every this-many-th review asks the hospital and the police, whatever the draw (the 4th is at the IMR stage).
DEMO_AGENCIES_EVERY = 8
DEMO_AGENCIES_AT = 3

S = ReviewState


@dataclass(frozen=True)
class Step:
    """A move of the review's machine: the stage it leads to, its usual day after the decision, who makes it."""

    name: str
    target: ReviewState
    day: int
    by: str


STEPS = (
    Step("agree_terms_of_reference", S.TOR_AGREED, 14, "chair"),
    Step("engage_agencies", S.AGENCIES_ENGAGED, 16, "manager"),
    Step("start_imrs", S.IMRS_IN_PROGRESS, 25, "manager"),
    Step("complete_imrs", S.IMRS_SUBMITTED, 70, "manager"),
    Step("start_overview", S.OVERVIEW, 76, "manager"),
    Step("send_to_board", S.AT_BOARD, 105, "overview"),
    Step("board_approve", S.ACTION_PLAN, 110, "board"),
    Step("send_to_ofsted", S.WITH_OFSTED, 114, "manager"),
    Step("prepare_executive_summary", S.EXECUTIVE_SUMMARY, 118, "manager"),
    Step("close", S.CLOSED, 122, "manager"),
)
# The milestone each move marks done (services/moves.py; "authors nominated" follows the agencies' work).
MILESTONE_OF_STEP = {
    "agree_terms_of_reference": Milestone.Kind.TOR_AGREED,
    "complete_imrs": Milestone.Kind.IMRS_SUBMITTED,
    "send_to_board": Milestone.Kind.OVERVIEW_TO_BOARD,
    "close": Milestone.Kind.REVIEW_COMPLETE,
}
# The first milestone still open at each open stage: it sets the review's red, amber or green.
NEXT_MILESTONE = {
    S.TOR_DRAFTING: Milestone.Kind.TOR_AGREED,
    S.TOR_AGREED: Milestone.Kind.AUTHORS_NOMINATED,
    S.AGENCIES_ENGAGED: Milestone.Kind.AUTHORS_NOMINATED,
    S.IMRS_IN_PROGRESS: Milestone.Kind.IMRS_SUBMITTED,
    S.IMRS_SUBMITTED: Milestone.Kind.OVERVIEW_TO_BOARD,
    S.OVERVIEW: Milestone.Kind.OVERVIEW_TO_BOARD,
}

EXTRA_AGENCIES = {
    "community_health": ("Northbridge Community Health Services", Agency.Kind.HEALTH_TRUST),
    "camhs": ("Northbridge Child and Adolescent Mental Health Service", Agency.Kind.HEALTH_TRUST),
    "ambulance": ("Northbridge Ambulance Service", Agency.Kind.HEALTH_TRUST),
    "westmoor_gp": ("Westmoor Health Centre", Agency.Kind.GP),
    "oakfield": ("Oakfield Academy", Agency.Kind.EDUCATION),
    "early_years": ("Northbridge Early Years Service", Agency.Kind.EDUCATION),
    "housing": ("Northbridge Homes", Agency.Kind.HOUSING),
    "probation": ("Northbridge Probation Delivery Unit", Agency.Kind.PROBATION),
    "youth_justice": ("Northbridge Youth Justice Service", Agency.Kind.OTHER),
    "refuge": ("Harbour Women's Refuge", Agency.Kind.OTHER),
}
DEMO_REFERRERS = {"school": "referrer", "hospital": "referrer2"}
AUTHORS_PER_AGENCY = 2
OVERVIEW_AUTHORS = 3


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


CHILD_FIRST = _words(
    "Amelia Oliver Isla Harry Ava Jack Mia Leo Poppy Alfie Freya Theo Ivy Charlie Evie Archie Daisy Oscar "
    "Grace Finley Lily Reggie Maya Tommy Esme Riley Aisha Kai Zara Ibrahim Sofia Yusuf Hana Mason Layla "
    "Ethan Nia Logan Kacper Amara"
)
CHILD_LAST = _words(
    "Ahmed Baker Clarke Davies Evans Fisher Green Hall Iqbal Jones Khan Lewis Mitchell Novak O'Brien Patel "
    "Quinn Roberts Singh Taylor Underwood Walker Young Zielinski Bennett Campbell Doyle Ellis Foster Gray "
    "Hussain Kaur Lowe Murphy Owusu Price Shaw Turner Ward Wood"
)
ADULTS = ("mother", "father", "mother's partner", "grandmother", "stepfather", "aunt")
STAFF_FIRST = _words(
    "Alex Bernadette Callum Denise Eamon Farah Gareth Hannah Imran Janet Kevin Lorna Mohammed"
)
STAFF_LAST = _words("Ashby Brennan Cole Dunmore Eastwood Fairley Gorman Hartley Irwin Jessop Kirkland Lomax")
# Bench people's names come from their own pool: no author shares a name with staff involved.
BENCH_FIRST = _words("Ruth Simon Tessa Victor Wendy Adrian Beatrice Cedric Delia Edwin Fenella Gordon")
BENCH_LAST = _words("Ormerod Pilling Quayle Rushworth Sowerby Thwaite Ulverston Varley Whitworth Yeadon")
STAFF_ROLES = {
    Agency.Kind.SOCIAL_CARE: ("Social Worker", "Team Manager", "Family Support Worker"),
    Agency.Kind.HEALTH_TRUST: ("Health Visitor", "ED Nurse", "Paediatrician", "Midwife"),
    Agency.Kind.GP: ("GP", "Practice Nurse"),
    Agency.Kind.EDUCATION: ("Teacher", "Designated Safeguarding Lead", "Nursery Practitioner"),
    Agency.Kind.POLICE: ("Police Officer", "Detective Constable"),
    Agency.Kind.HOUSING: ("Housing Officer",),
    Agency.Kind.PROBATION: ("Probation Officer",),
    Agency.Kind.OTHER: ("Support Worker", "Youth Worker"),
}
SUMMARIES = {
    Referral.IncidentKind.DEATH: (
        "{name} died at home. The post-mortem found injuries the carers could not explain.",
        "{name} was found unresponsive and later died in hospital; neglect is suspected.",
        "{name} died after a period of poor weight gain that several agencies had noticed.",
    ),
    Referral.IncidentKind.SERIOUS_INJURY: (
        "{name} was admitted with fractures of different ages.",
        "{name} suffered a head injury at home; the account given changed over time.",
        "{name} was taken to hospital with burns that were not treated for several days.",
    ),
    Referral.IncidentKind.OTHER: (
        "{name} was found living alone for several weeks.",
        "{name} disclosed sexual abuse by a family member to a teacher.",
        "{name} went missing repeatedly and was found to be exploited by adults.",
    ),
}
QUESTIONS = (
    "How well did agencies share information about the adults in the household?",
    "Were missed appointments followed up and escalated?",
    "Was the child's own voice heard by the professionals working with the family?",
    "Were earlier injuries recognised and acted on?",
    "Did agencies understand the impact of domestic abuse on the child?",
    "How were the family's housing moves tracked between areas?",
    "Was the threshold for a child protection referral applied consistently?",
    "How did supervision support the practitioners working with the family?",
)
RECOMMENDATIONS = (
    "Review how concerns raised at the front door are recorded and passed on.",
    "Train staff to recognise injuries in non-mobile babies.",
    "Agree a protocol for following up missed health appointments.",
    "Make sure supervision records the decisions taken and who acts on them.",
    "Audit the use of multi-agency chronologies in complex cases.",
    "Share information about new adults in a household with the health visitor.",
)
OWNERS = (
    "Named nurse for safeguarding",
    "Head of service",
    "Designated safeguarding lead",
    "Service manager",
)
GRADES = ("outstanding", "good", "adequate", "inadequate")


@dataclass
class IMRPlan:
    author: User
    nominated_by: User
    nominated_on: datetime.date
    signed_on: datetime.date | None
    state: IMRState = IMRState.NOMINATED
    started_on: datetime.date | None = None
    submitted_on: datetime.date | None = None
    feedback_on: datetime.date | None = None
    critiqued_on: datetime.date | None = None
    recommendations: int = 0
    obj: IMR | None = None


@dataclass
class ParticipationPlan:
    agency: Agency
    secured_on: datetime.date | None = None
    secured_by: User | None = None
    imr: IMRPlan | None = None
    obj: AgencyParticipation | None = None


@dataclass
class ReviewPlan:
    """One invented review, worked out in full before anything is written."""

    index: int
    review_type: ReviewType
    state: ReviewState
    decision_date: datetime.date
    received_on: datetime.date
    incident_date: datetime.date
    steps: dict[str, datetime.date]
    extensions: list[tuple[datetime.date, int]]
    agencies: list[Agency]
    child_name: str = ""
    child_dob: datetime.date | None = None
    family: str = ""
    incident_kind: str = ""
    summary: str = ""
    police: bool = False
    referrer: User | None = None
    participations: list[ParticipationPlan] = field(default_factory=list)
    criteria: dict[str, bool] = field(default_factory=dict)
    justification: str = ""
    overview_author: User | None = None
    overview_commissioned_on: datetime.date | None = None
    overview_signed_on: datetime.date | None = None
    overview_recommendations: int = 0
    lscb_actions: int = 0
    ofsted_graded_on: datetime.date | None = None
    tor_drafted: bool = False
    staff: list[tuple[Agency, str, str, str]] = field(default_factory=list)
    viewed_on: datetime.date | None = None
    referral_reference: str = ""
    reference: str = ""
    # Filled in as rows are written.
    referral: Referral | None = None
    review: Review | None = None
    objects: dict[str, list] = field(default_factory=lambda: defaultdict(list))

    @cached_property
    def stages(self) -> list[ReviewState]:
        return [
            s
            for s in ReviewState
            if s != ReviewState.WITHDRAWN and (self.review_type == ReviewType.SCR or s not in SCR_ONLY)
        ]

    @property
    def made(self) -> list[Step]:
        """The moves made to reach the review's stage, in order."""
        reached = self.stages[: self.stages.index(self.state) + 1]
        return [step for step in STEPS if step.target in reached]

    def reached(self, state: ReviewState) -> bool:
        return state in self.stages and self.stages.index(self.state) >= self.stages.index(state)

    @property
    def due_date(self) -> datetime.date:
        return deadlines.review_due_date(
            self.decision_date, settings.REVIEW_TIMEFRAME_MONTHS[self.review_type]
        )

    @property
    def current_due_date(self) -> datetime.date:
        return self.due_date + datetime.timedelta(days=sum(days for _, days in self.extensions))


@contextmanager
def timestamps_as_given(*fields):
    """Write the given timestamps rather than now: invented history is dated in the past."""
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _field(model, name):
    return model._meta.get_field(name)


# The order of a day's events, so that a review's history on one day reads in order.
RANK = {
    "referral": 0,
    "queued": 1,
    "decided": 2,
    "opened": 3,
    "agree_terms_of_reference": 10,
    "support": 11,
    "engage_agencies": 20,
    "secured": 21,
    "nominated": 22,
    "signed": 23,
    "start_imrs": 30,
    "imr_start": 31,
    "imr_submit": 32,
    "complete_imrs": 40,
    "commissioned": 41,
    "overview_signed": 42,
    "start_overview": 43,
    "imr_critique": 44,
    "send_to_board": 50,
    "board_approve": 60,
    "send_to_ofsted": 70,
    "graded": 71,
    "prepare_executive_summary": 80,
    "close": 90,
    "extended": 95,
    "sent": 97,
    "viewed": 99,
}


class Command(BaseCommand):
    help = (
        "Add invented reviews over every stage and type to a demo instance (SCR_DEMO=1), "
        "for benchmarks of the lists and the tracker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reviews", type=int, required=True, help="How many reviews to add.")
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED})."
        )

    def handle(self, *args, reviews, seed, **options):
        if not settings.DEMO:
            raise CommandError(
                "Bench data goes only into a demo instance, so invented cases never mix with real ones. "
                "This instance is not marked as a demo: set SCR_DEMO=1."
            )
        if reviews < 1:
            raise CommandError("Give the number of reviews to add: --reviews 1 or more.")
        if User.objects.filter(username__in=PEOPLE).count() < len(PEOPLE):
            self.stdout.write("The demo people are missing: loading the demo data first.")
            call_command("demo_data", stdout=self.stdout, stderr=self.stderr)
        started = time.monotonic()
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.tz = timezone.get_current_timezone()
        self.counts: Counter = Counter()
        self.pairs = self._combinations()
        self.timings: dict[str, float] = {}
        with self._timed("committed"), transaction.atomic():
            with self._timed("people"):
                self._cast()
            with self._timed("planned"):
                plans = [self._plan(index) for index in range(reviews)]
                self._allocate_references(plans)
            with self._timed("written"):
                self._write(plans)
            with self._timed("granted"):
                self._grant(plans)
        self.timings["committed"] -= sum(t for name, t in self.timings.items() if name != "committed")
        elapsed = time.monotonic() - started
        self._report(plans, seed, elapsed)

    @contextmanager
    def _timed(self, name: str):
        started = time.monotonic()
        try:
            yield
        finally:
            self.timings[name] = time.monotonic() - started

    # People and agencies

    def _cast(self):
        self.people = {user.username: user for user in User.objects.filter(username__in=PEOPLE)}
        demo = {key: Agency.objects.get(name=name) for key, (name, _) in DEMO_AGENCIES.items()}
        extra = {
            key: Agency.objects.get_or_create(
                name=name,
                defaults={"kind": kind, "email": f"safeguarding@{key.replace('_', '-')}.example.org"},
            )[0]
            for key, (name, kind) in EXTRA_AGENCIES.items()
        }
        self.agency_keys = {**demo, **extra}
        self.agencies = list(self.agency_keys.values())
        self.hospital, self.police = demo["hospital"], demo["police"]
        self.password = make_password(DEMO_PASSWORD)
        names = iter((first, last) for last in BENCH_LAST for first in BENCH_FIRST)
        self.authors, self.referrers = {}, {}
        for key, agency in self.agency_keys.items():
            self.authors[agency.pk] = [
                self._bench_person(f"bench-author-{key}-{n}", next(names), Role.IMR_AUTHOR, agency)
                for n in range(1, AUTHORS_PER_AGENCY + 1)
            ]
            demo_referrer = DEMO_REFERRERS.get(key)
            self.referrers[agency.pk] = (
                self.people[demo_referrer]
                if demo_referrer
                else self._bench_person(f"bench-referrer-{key}", next(names), Role.REFERRER, agency)
            )
        self.overview_authors = [self.people["overview"]] + [
            self._bench_person(f"bench-overview-{n}", next(names), Role.OVERVIEW_AUTHOR, None)
            for n in range(1, OVERVIEW_AUTHORS + 1)
        ]
        self.demo_author_turn = {self.hospital.pk: 0, self.police.pk: 0}
        self.demo_authors = {self.hospital.pk: self.people["author"], self.police.pk: self.people["author2"]}
        self.bodies_referral = list(
            ExternalBody.objects.filter(is_active=True, receives_referral_notices=True).order_by("name")
        )
        self.bodies_tor = list(
            ExternalBody.objects.filter(is_active=True, receives_terms_of_reference=True).order_by("name")
        )

    def _bench_person(self, username, name, role, agency):
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = name
            user = User.objects.create(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@example.org",
                agency=agency,
                job_title=role.label,
                password=self.password,
            )
            user.groups.add(Group.objects.get(name=role))
            self.counts["bench people"] += 1
        return user

    # Planning: every date and choice of every review, from the seed alone.

    def _combinations(self) -> list[tuple[ReviewState, ReviewType]]:
        """Every stage with every type it has: the first eleven cover every stage, the first 31 every pair."""
        types = list(ReviewType)
        pairs = []
        for turn in range(len(types)):
            # A withdrawn review is an end the bench data does not make (a stage, then the chair's move).
            for i, state in enumerate(s for s in ReviewState if s != S.WITHDRAWN):
                review_type = types[(i + turn) % len(types)]
                if state in SCR_ONLY:
                    review_type = ReviewType.SCR
                if (state, review_type) not in pairs:
                    pairs.append((state, review_type))
        return pairs

    def _plan(self, index: int) -> ReviewPlan:
        rng = self.rng
        pairs = self.pairs
        if index < len(pairs):
            state, review_type = pairs[index]
        else:
            review_type = rng.choice(list(ReviewType))
            if rng.random() < CLOSED_SHARE:
                state = S.CLOSED
            else:
                state = rng.choice([s for s in OPEN if review_type == ReviewType.SCR or s not in SCR_ONLY])
        extensions = []
        if rng.random() < EXTENDED_SHARE:
            extensions.append(rng.randint(28, 120))
            if rng.random() < 0.25:
                extensions.append(rng.randint(14, 90))
        probe = ReviewPlan(index, review_type, state, self.today, self.today, self.today, {}, [], [])
        made = probe.made
        last_day = made[-1].day if made else 0
        min_age = math.ceil(last_day * 0.55) + (1 if made else 0)
        if extensions:
            min_age = max(min_age, 31)
        age = self._age(state, review_type, min_age, sum(extensions))
        decision = self.today - datetime.timedelta(days=age)
        # The pace of this review: 1 keeps to the usual days; never a move after today.
        pace = rng.uniform(0.55, min(1.6, age / last_day)) if made else 1.0
        steps = {}
        for step in made:
            steps[step.name] = min(decision + datetime.timedelta(days=round(step.day * pace)), self.today)
        received = decision - datetime.timedelta(days=rng.randint(0, 12))
        incident = received - datetime.timedelta(days=rng.randint(1, 20))
        plan = ReviewPlan(
            index=index,
            review_type=review_type,
            state=state,
            decision_date=decision,
            received_on=received,
            incident_date=incident,
            steps=steps,
            extensions=[],
            agencies=self._choose_agencies(index),
        )
        # Extensions are agreed while the review is open, a month in at the earliest.
        end = steps.get("close", self.today + datetime.timedelta(days=1)) - datetime.timedelta(days=1)
        days = sorted(self._between(decision + datetime.timedelta(days=30), end) for _ in extensions)
        plan.extensions = list(zip(days, extensions, strict=True))
        self._plan_referral(plan)
        self._plan_agencies(plan)
        self._plan_overview(plan)
        return plan

    def _age(self, state, review_type, min_age: int, extension_days: int) -> int:
        """Days since the decision: for an open review, chosen so it is red, amber or green as drawn."""
        rng = self.rng
        if state == S.CLOSED:
            return rng.randint(max(min_age, 130), REACH_DAYS)
        # The first open milestone; from the board on, the due date in force: four months and extensions on.
        kind = NEXT_MILESTONE.get(state)
        months = settings.REVIEW_TIMEFRAME_MONTHS[review_type]
        due_in = (
            settings.REVIEW_MILESTONE_OFFSET_DAYS[kind] if kind else round(months * 30.44) + extension_days
        )
        windows = {
            "red": (due_in + 1, REACH_DAYS),
            "amber": (due_in - AMBER_DAYS, due_in),
            "green": (0, due_in - AMBER_DAYS - 1),
        }
        drawn = rng.choices(list(RAG_WEIGHTS), weights=list(RAG_WEIGHTS.values()))[0]
        for rag in (drawn, "red", "amber", "green"):
            low, high = max(windows[rag][0], min_age), min(windows[rag][1], REACH_DAYS)
            if low <= high:
                return rng.randint(low, high)
        return rng.randint(min_age, REACH_DAYS)

    def _between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        """A day from `first` to `last` (`first` when the span is empty), never after today."""
        last = min(last, self.today)
        if last <= first:
            return min(first, self.today)
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def _choose_agencies(self, index: int) -> list[Agency]:
        rng = self.rng
        count = rng.randint(2, 4)
        if index % DEMO_AGENCIES_EVERY == DEMO_AGENCIES_AT:
            rest = [a for a in self.agencies if a not in (self.hospital, self.police)]
            return [self.hospital, self.police, *rng.sample(rest, count - 2)]
        return rng.sample(self.agencies, count)

    def _plan_referral(self, plan: ReviewPlan):
        rng = self.rng
        first, last = rng.choice(CHILD_FIRST), rng.choice(CHILD_LAST)
        plan.child_name = f"{first} {last}"
        if rng.random() < 0.03:
            plan.child_dob = None  # Unborn at the time of the incident.
        else:
            plan.child_dob = plan.incident_date - datetime.timedelta(days=rng.randint(20, 16 * 365))
        adults = rng.sample(ADULTS, rng.randint(1, 3))
        plan.family = "\n".join(f"{rng.choice(CHILD_FIRST)} {last}, {who}" for who in adults)
        plan.incident_kind = rng.choice(list(Referral.IncidentKind))
        plan.summary = rng.choice(SUMMARIES[plan.incident_kind]).format(name=first)
        plan.police = rng.random() < 0.4
        plan.referrer = self.referrers[plan.agencies[0].pk]
        died = plan.incident_kind == Referral.IncidentKind.DEATH
        plan.criteria = {name: rng.random() < 0.3 for name in PanelDecision.CRITERIA}
        plan.criteria["criterion_a"] = died and rng.random() < 0.8
        plan.criteria["criterion_f"] = plan.criteria["criterion_f"] or not any(plan.criteria.values())
        if plan.criteria["criterion_a"] and plan.review_type != ReviewType.SCR:
            plan.justification = (
                "The coroner's early findings make it unlikely that abuse or neglect was a factor; "
                "a smaller review will still look at how agencies worked together."
            )

    def _plan_agencies(self, plan: ReviewPlan):
        rng, steps = self.rng, plan.steps
        plan.tor_drafted = plan.reached(S.TOR_AGREED) or rng.random() < 0.5
        if plan.reached(S.TOR_AGREED):
            taken = Counter()
            for agency in plan.agencies[: rng.randint(1, len(plan.agencies))]:
                role = rng.choice(STAFF_ROLES[agency.kind])
                taken[role] += 1
                name = f"{rng.choice(STAFF_FIRST)} {rng.choice(STAFF_LAST)}"
                plan.staff.append((agency, f"{role} {taken[role]}", name, role.lower()))
        for agency in plan.agencies:
            plan.participations.append(ParticipationPlan(agency=agency))
        if not plan.reached(S.AGENCIES_ENGAGED):
            return
        engaged = steps["engage_agencies"]
        all_ready = plan.reached(S.IMRS_IN_PROGRESS)
        ready_by = steps.get("start_imrs", self.today)
        for participation in plan.participations:
            agency = participation.agency
            manager = self.people["agencymanager"] if agency == self.hospital else self.people["manager"]
            if all_ready or rng.random() < 0.6:
                participation.secured_on = self._between(engaged, ready_by)
                participation.secured_by = manager
            if all_ready or rng.random() < 0.5:
                nominated = self._between(engaged, ready_by)
                signed = None
                if all_ready or rng.random() < 0.6:
                    signed = self._between(nominated, min(nominated + datetime.timedelta(days=3), ready_by))
                participation.imr = IMRPlan(
                    author=self._author_for(agency),
                    nominated_by=manager,
                    nominated_on=nominated,
                    signed_on=signed,
                )
        if not all_ready:
            # Still engaging: at least one agency has not both secured its files and named its author.
            last = plan.participations[-1]
            if all(p.secured_on and p.imr for p in plan.participations):
                last.imr = None
            return
        for participation in plan.participations:
            self._plan_imr(plan, participation.imr)

    def _author_for(self, agency: Agency) -> User:
        if agency.pk in self.demo_authors:
            turn = self.demo_author_turn[agency.pk]
            self.demo_author_turn[agency.pk] += 1
            if turn % DEMO_AUTHOR_EVERY == 0:
                return self.demo_authors[agency.pk]
        return self.rng.choice(self.authors[agency.pk])

    def _plan_imr(self, plan: ReviewPlan, imr: IMRPlan):
        rng, steps = self.rng, plan.steps
        started = steps["start_imrs"]
        in_by = steps.get("complete_imrs", self.today)
        if plan.state == S.IMRS_IN_PROGRESS:
            imr.state = rng.choices(
                [IMRState.NOMINATED, IMRState.IN_PROGRESS, IMRState.SUBMITTED, IMRState.RETURNED],
                weights=[1, 5, 3, 1],
            )[0]
        elif plan.state == S.IMRS_SUBMITTED:
            imr.state = rng.choices([IMRState.SUBMITTED, IMRState.ACCEPTED], weights=[7, 3])[0]
        elif plan.state == S.OVERVIEW:
            imr.state = rng.choices(
                [IMRState.SUBMITTED, IMRState.ACCEPTED, IMRState.RETURNED], weights=[3, 6, 1]
            )[0]
        else:
            imr.state = IMRState.ACCEPTED
        if imr.state == IMRState.NOMINATED:
            return
        imr.started_on = self._between(started, min(started + datetime.timedelta(days=7), in_by))
        if imr.state == IMRState.IN_PROGRESS:
            return
        imr.submitted_on = self._between(imr.started_on, in_by)
        imr.recommendations = rng.randint(1, 2)
        if plan.reached(S.IMRS_SUBMITTED) or rng.random() < 0.5:
            imr.feedback_on = self._between(imr.submitted_on, in_by)
        if imr.state in (IMRState.ACCEPTED, IMRState.RETURNED):
            critique_from = steps.get("start_overview", imr.submitted_on)
            imr.critiqued_on = self._between(critique_from, steps.get("send_to_board", self.today))

    def _plan_overview(self, plan: ReviewPlan):
        rng, steps = self.rng, plan.steps
        commissioned = plan.reached(S.OVERVIEW) or (plan.state == S.IMRS_SUBMITTED and rng.random() < 0.5)
        if commissioned:
            plan.overview_author = rng.choice(self.overview_authors)
            plan.overview_commissioned_on = self._between(
                steps["complete_imrs"], steps.get("start_overview", self.today)
            )
            if plan.reached(S.OVERVIEW) or rng.random() < 0.5:
                plan.overview_signed_on = self._between(
                    plan.overview_commissioned_on, steps.get("start_overview", self.today)
                )
        if plan.reached(S.AT_BOARD):
            plan.overview_recommendations = rng.randint(1, 3)
        if plan.reached(S.ACTION_PLAN):
            later = plan.state != S.ACTION_PLAN
            plan.lscb_actions = (
                plan.overview_recommendations if later else rng.randint(0, plan.overview_recommendations)
            )
        graded = plan.state != S.WITH_OFSTED or rng.random() < 0.5
        if plan.review_type == ReviewType.SCR and plan.reached(S.WITH_OFSTED) and graded:
            plan.ofsted_graded_on = self._between(
                steps["send_to_ofsted"], steps.get("prepare_executive_summary", self.today)
            )
        if plan.state in OPEN and rng.random() < 0.3:
            plan.viewed_on = self._between(self.today - datetime.timedelta(days=30), self.today)

    # References: taken from the product's counters, which move on past them.

    def _allocate_references(self, plans: list[ReviewPlan]):
        wanted = Counter()
        for plan in plans:
            wanted["REF", plan.received_on.year] += 1
            wanted[REVIEW_PREFIX[plan.review_type], plan.decision_date.year] += 1
        numbers = {}
        for (prefix, year), count in sorted(wanted.items()):
            ReferenceCounter.objects.bulk_create(
                [ReferenceCounter(prefix=prefix, year=year, last_number=0)], ignore_conflicts=True
            )
            counter = ReferenceCounter.objects.select_for_update().get(prefix=prefix, year=year)
            numbers[prefix, year] = iter(range(counter.last_number + 1, counter.last_number + count + 1))
            counter.last_number += count
            counter.save(update_fields=["last_number"])
        for plan in plans:
            year = plan.received_on.year
            plan.referral_reference = f"REF-{year}-{next(numbers['REF', year]):03d}"
            prefix, year = REVIEW_PREFIX[plan.review_type], plan.decision_date.year
            plan.reference = f"{prefix}-{year}-{next(numbers[prefix, year]):03d}"

    # Writing

    def at(self, day: datetime.date, event: str, minute: int = 0) -> datetime.datetime:
        """When an event of `day` happened: working hours, in the order of RANK, never after now."""
        moment = datetime.datetime.combine(day, datetime.time(8, 0), tzinfo=self.tz) + datetime.timedelta(
            minutes=RANK[event] * 5 + minute
        )
        if moment > self.now:
            moment = self.now - datetime.timedelta(seconds=600 - RANK[event] * 5 - minute)
        return moment

    def _bulk(self, model, objects, label=None):
        model.objects.bulk_create(objects, batch_size=BATCH)
        self.counts[label or str(model._meta.verbose_name_plural)] += len(objects)
        return objects

    def _write(self, plans: list[ReviewPlan]):
        people = self.people
        # The panel meets on each decision day; the chair and a member attend.
        meetings = {}
        for day in sorted({plan.decision_date for plan in plans}):
            meetings[day] = PanelMeeting(
                held_on=day,
                chair=people["chair"],
                other_attendees="Priya Sharma, LSCB business manager",
            )
        self._bulk(PanelMeeting, list(meetings.values()))
        through = PanelMeeting.attendees.through
        self._bulk(
            through,
            [
                through(panelmeeting_id=meeting.pk, user_id=user.pk)
                for meeting in meetings.values()
                for user in (people["chair"], people["panel"])
            ],
            "panel attendances",
        )
        for plan in plans:
            plan.referral = Referral(
                reference=plan.referral_reference,
                referring_agency=plan.agencies[0],
                referred_by=plan.referrer,
                child_name=plan.child_name,
                child_date_of_birth=plan.child_dob,
                child_unborn=plan.child_dob is None,
                family_members=plan.family,
                incident_date=plan.incident_date,
                incident_kind=plan.incident_kind,
                summary=plan.summary,
                police_investigating=plan.police,
                received_at=self.at(plan.received_on, "referral"),
            )
        self._bulk(Referral, [plan.referral for plan in plans])
        through = Referral.agencies_involved.through
        self._bulk(
            through,
            [through(referral_id=plan.referral.pk, agency_id=a.pk) for plan in plans for a in plan.agencies],
            "agencies involved",
        )
        decisions = [
            PanelDecision(
                referral=plan.referral,
                meeting=meetings[plan.decision_date],
                outcome=plan.review_type,
                rationale="The panel applied the criteria of Working Together to the facts known.",
                criterion_a_justification=plan.justification,
                decided_by=people["chair"],
                decided_at=self.at(plan.decision_date, "decided"),
                **plan.criteria,
            )
            for plan in plans
        ]
        with timestamps_as_given(_field(PanelDecision, "decided_at")):
            self._bulk(PanelDecision, decisions)
        for plan, decision in zip(plans, decisions, strict=True):
            plan.objects["decision"] = [decision]
        self._write_reviews(plans)
        self._write_timetable(plans)
        self._write_terms(plans)
        self._write_participations(plans)
        self._write_plans_of_action(plans)
        self._write_publication(plans)
        self._write_notifications(plans)
        self._write_logs(plans)
        # What audit_record stores as it writes each change.
        Review.objects.filter(pk__in=[plan.review.pk for plan in plans]).refresh_last_activity()

    def _last_write(self, plan: ReviewPlan) -> datetime.datetime:
        """When the review's own row was last saved: its last move, extension, commission or grade."""
        moments = [self.at(plan.decision_date, "opened")]
        moments += [self.at(day, name) for name, day in plan.steps.items()]
        moments += [self.at(day, "extended") for day, _ in plan.extensions]
        if plan.overview_commissioned_on:
            moments.append(self.at(plan.overview_commissioned_on, "commissioned"))
        if plan.overview_signed_on:
            moments.append(self.at(plan.overview_signed_on, "overview_signed"))
        if plan.ofsted_graded_on:
            moments.append(self.at(plan.ofsted_graded_on, "graded"))
        return max(moments)

    def _write_reviews(self, plans):
        for plan in plans:
            graded = plan.ofsted_graded_on
            plan.review = Review(
                reference=plan.reference,
                referral=plan.referral,
                review_type=plan.review_type,
                state=plan.state,
                decision_date=plan.decision_date,
                due_date=plan.due_date,
                current_due_date=plan.current_due_date,
                police_investigation_open=plan.police and plan.state in OPEN,
                overview_author=plan.overview_author,
                overview_declaration_signed_at=(
                    self.at(plan.overview_signed_on, "overview_signed") if plan.overview_signed_on else None
                ),
                ofsted_grade=self.rng.choice(GRADES) if graded else "",
                ofsted_feedback="Ofsted's evaluation letter received." if graded else "",
                ofsted_graded_on=graded,
                created_at=self.at(plan.decision_date, "opened"),
                updated_at=self._last_write(plan),
            )
        with timestamps_as_given(_field(Review, "created_at"), _field(Review, "updated_at")):
            self._bulk(Review, [plan.review for plan in plans])

    def _write_timetable(self, plans):
        milestones, extensions = [], []
        offsets = settings.REVIEW_MILESTONE_OFFSET_DAYS
        for plan in plans:
            review, steps = plan.review, plan.steps
            done = {MILESTONE_OF_STEP[name]: day for name, day in steps.items() if name in MILESTONE_OF_STEP}
            if plan.reached(S.IMRS_IN_PROGRESS):
                # Marked when the last agency had both secured its files and named its author.
                done[Milestone.Kind.AUTHORS_NOMINATED] = max(
                    max(p.secured_on, p.imr.nominated_on) for p in plan.participations
                )
            due = deadlines.milestone_due_dates(plan.decision_date, offsets)
            due[Milestone.Kind.REVIEW_COMPLETE] = plan.due_date
            milestones += [
                Milestone(review=review, kind=kind, due_on=due_on, done_on=done.get(kind))
                for kind, due_on in due.items()
            ]
            previous = plan.due_date
            for day, days in plan.extensions:
                new = previous + datetime.timedelta(days=days)
                extension = Extension(
                    review=review,
                    previous_due_date=previous,
                    new_due_date=new,
                    reason="The police asked the review to wait for their interviews with the family.",
                    agreed_by="Margaret Osei, independent chair of the SCR panel",
                    recorded_by=self.people["manager"],
                    recorded_at=self.at(day, "extended"),
                )
                extensions.append(extension)
                plan.objects["extension"].append(extension)
                previous = new
        self._bulk(Milestone, milestones)
        # What the services store when they open, move or extend a review.
        Review.objects.filter(pk__in=[plan.review.pk for plan in plans]).refresh_next_due()
        with timestamps_as_given(_field(Extension, "recorded_at")):
            self._bulk(Extension, extensions)

    def _write_terms(self, plans):
        rng, people = self.rng, self.people
        terms, staff, meetings, advice = [], [], [], []
        for plan in plans:
            agreed = plan.steps.get("agree_terms_of_reference")
            tor = TermsOfReference(review=plan.review)
            if plan.tor_drafted:
                tor.period_start = plan.incident_date - datetime.timedelta(days=rng.randint(180, 720))
                tor.period_end = plan.incident_date
            if agreed:
                tor.agreed_at = tor.shared_with_staff_at = self.at(agreed, "agree_terms_of_reference")
                tor.agreed_by = people["chair"]
                meetings.append(
                    StaffSupportMeeting(
                        review=plan.review,
                        kind=StaffSupportMeeting.Kind.BEGINNING,
                        held_on=self._between(agreed, agreed + datetime.timedelta(days=5)),
                        notes="Terms of reference explained; support services described.",
                        recorded_by=people["manager"],
                    )
                )
            if "close" in plan.steps:
                meetings.append(
                    StaffSupportMeeting(
                        review=plan.review,
                        kind=StaffSupportMeeting.Kind.END,
                        held_on=self._between(plan.steps["prepare_executive_summary"], plan.steps["close"]),
                        notes="Findings shared with the staff involved.",
                        recorded_by=people["manager"],
                    )
                )
            terms.append(tor)
            staff += [
                InvolvedStaff(
                    review=plan.review, agency=agency, pseudonym=pseudonym, real_name=name, role_title=role
                )
                for agency, pseudonym, name, role in plan.staff
            ]
            if plan.review.police_investigation_open:
                advice.append(
                    PoliceAdvice(
                        review=plan.review,
                        given_on=self._between(
                            plan.decision_date, plan.decision_date + datetime.timedelta(days=3)
                        ),
                        source="Senior investigating officer, Northbridge Police",
                        advice="Staff must not discuss the events leading to the incident until interviews are done.",
                        recorded_by=people["manager"],
                    )
                )
        self._bulk(TermsOfReference, terms, "terms of reference")
        focus = []
        for plan, tor in zip(plans, terms, strict=True):
            if plan.tor_drafted:
                questions = rng.sample(QUESTIONS, rng.randint(1, 3))
                focus += [FocusArea(terms=tor, position=n, question=q) for n, q in enumerate(questions, 1)]
        self._bulk(FocusArea, focus)
        self._bulk(InvolvedStaff, staff, "involved staff")
        self._bulk(StaffSupportMeeting, meetings)
        self._bulk(PoliceAdvice, advice, "police advice")

    def _write_participations(self, plans):
        participations = []
        for plan in plans:
            for p in plan.participations:
                p.obj = AgencyParticipation(
                    review=plan.review,
                    agency=p.agency,
                    files_secured_at=self.at(p.secured_on, "secured") if p.secured_on else None,
                    files_secured_by=p.secured_by,
                    originals_location=f"Records room, {p.agency}; locked cabinet" if p.secured_on else "",
                    copies_made=bool(p.secured_on) and p.agency.kind == Agency.Kind.SOCIAL_CARE,
                )
                participations.append(p.obj)
        self._bulk(AgencyParticipation, participations)
        imrs = []
        for plan in plans:
            for p in plan.participations:
                if p.imr is None:
                    continue
                i = p.imr
                i.obj = IMR(
                    participation=p.obj,
                    author=i.author,
                    nominated_by=i.nominated_by,
                    nominated_at=self.at(i.nominated_on, "nominated"),
                    declaration_signed_at=self.at(i.signed_on, "signed") if i.signed_on else None,
                    state=i.state,
                    submitted_at=self.at(i.submitted_on, "imr_submit") if i.submitted_on else None,
                    feedback_meeting_on=i.feedback_on,
                )
                imrs.append(i.obj)
        self._bulk(IMR, imrs, "IMRs")

    def _write_plans_of_action(self, plans):
        rng = self.rng
        recommendations = []
        for plan in plans:
            for p in plan.participations:
                if p.imr and p.imr.recommendations:
                    recommendations += [
                        Recommendation(
                            review=plan.review, imr=p.imr.obj, number=n, text=rng.choice(RECOMMENDATIONS)
                        )
                        for n in range(1, p.imr.recommendations + 1)
                    ]
            recommendations += [
                Recommendation(review=plan.review, imr=None, number=n, text=rng.choice(RECOMMENDATIONS))
                for n in range(1, plan.overview_recommendations + 1)
            ]
        self._bulk(Recommendation, recommendations)
        by_owner = defaultdict(list)
        for recommendation in recommendations:
            by_owner[recommendation.review.pk, recommendation.imr_id].append(recommendation)
        action_plans, items = [], []
        for plan in plans:
            closed = plan.state == S.CLOSED
            for p in plan.participations:
                if p.imr and p.imr.recommendations:
                    answered = by_owner[plan.review.pk, p.imr.obj.pk]
                    action_plans.append(ActionPlan(review=plan.review, agency=p.agency))
                    items += [(action_plans[-1], r, p.imr.submitted_on, closed) for r in answered]
            if plan.lscb_actions:
                answered = by_owner[plan.review.pk, None][: plan.lscb_actions]
                action_plans.append(ActionPlan(review=plan.review, agency=None))
                items += [(action_plans[-1], r, plan.steps["board_approve"], closed) for r in answered]
        self._bulk(ActionPlan, action_plans)
        actions = []
        for action_plan, recommendation, added_on, closed in items:
            due = added_on + datetime.timedelta(days=rng.randint(30, 180))
            if closed:
                state = rng.choice([ActionState.COMPLETED, ActionState.VERIFIED])
            else:
                state = rng.choices(list(ActionState), weights=[3, 3, 2, 1])[0]
            done = state in ActionItem.DONE
            actions.append(
                ActionItem(
                    plan=action_plan,
                    recommendation=recommendation,
                    description=f"Act on recommendation {recommendation.number}: {recommendation.text}",
                    owner=rng.choice(OWNERS),
                    due_on=due,
                    state=state,
                    evidence="Audit of cases shows the change in practice." if done else "",
                    completed_on=self._between(added_on, due) if done else None,
                )
            )
        self._bulk(ActionItem, actions, "action items")

    def _write_publication(self, plans):
        people = self.people
        board, summaries = [], []
        for plan in plans:
            steps = plan.steps
            if "board_approve" in steps:
                decision = BoardDecision(
                    review=plan.review,
                    outcome=BoardDecision.Outcome.APPROVED,
                    decided_by=people["board"],
                    decided_at=self.at(steps["board_approve"], "board_approve"),
                )
                board.append(decision)
                plan.objects["board"].append(decision)
            if "prepare_executive_summary" in steps:
                summary = ExecutiveSummary(
                    review=plan.review,
                    text=f"Executive summary of {plan.reference}: what happened, and what agencies will change.",
                )
                if "close" in steps:
                    summary.publish_from = self._between(steps["prepare_executive_summary"], steps["close"])
                    summary.publish_until = summary.publish_from + datetime.timedelta(days=365)
                    summary.published_by = people["manager"]
                    summary.sent_to_staff_on = self._between(summary.publish_from, steps["close"])
                summaries.append(summary)
        with timestamps_as_given(_field(BoardDecision, "decided_at")):
            self._bulk(BoardDecision, board)
        self._bulk(ExecutiveSummary, summaries, "executive summaries")

    def _write_notifications(self, plans):
        rng, manager = self.rng, self.people["manager"]
        notifications = []
        for plan in plans:
            wanted = [
                (NotificationKind.REFERRAL_TO_PANEL, body, plan.received_on) for body in self.bodies_referral
            ]
            if plan.review_type == ReviewType.SCR and "agree_terms_of_reference" in plan.steps:
                day = plan.steps["agree_terms_of_reference"]
                wanted += [(NotificationKind.TERMS_OF_REFERENCE, body, day) for body in self.bodies_tor]
            for kind, body, day in wanted:
                recent = (self.today - day).days < 3
                sent = (
                    None
                    if recent or rng.random() < 0.05
                    else self._between(day, day + datetime.timedelta(days=2))
                )
                notification = Notification(
                    referral=plan.referral,
                    review=plan.review,
                    kind=kind,
                    body=body,
                    status=Notification.Status.SENT if sent else Notification.Status.QUEUED,
                    queued_at=self.at(
                        day, "queued" if kind == NotificationKind.REFERRAL_TO_PANEL else "support"
                    ),
                    sent_at=self.at(sent, "sent") if sent else None,
                    sent_by=manager if sent else None,
                )
                notifications.append(notification)
                plan.objects["notification"].append(notification)
        with timestamps_as_given(_field(Notification, "queued_at")):
            self._bulk(Notification, notifications)

    # The state log and the audit log, as the services would have written them.

    def _write_logs(self, plans):
        people, A = self.people, AuditEvent.Action
        review_type = ContentType.objects.get_for_model(Review)
        imr_type = ContentType.objects.get_for_model(IMR)
        review_probe, imr_probe = Review(), IMR()
        audit, states = [], []

        def log(moment, actor, action, obj, summary, review=None):
            audit.append(
                AuditEvent(
                    actor=actor,
                    action=action,
                    review=review,
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    summary=summary[:300],
                    at=moment,
                )
            )

        def moved(moment, actor, obj, probe, name, source, target, content_type, review):
            states.append(
                StateLog(
                    timestamp=moment,
                    by=actor,
                    source_state=source,
                    state=target,
                    transition=name,
                    content_type=content_type,
                    object_id=obj.pk,
                )
            )
            label = move_label(probe, name)
            source_label, target_label = probe.get_state_label(source), probe.get_state_label(target)
            log(moment, actor, A.MOVED, obj, f"{label}: from “{source_label}” to “{target_label}”", review)

        for plan in plans:
            referral, review, decision = plan.referral, plan.review, plan.objects["decision"][0]
            chair = people["chair"]
            log(referral.received_at, plan.referrer, A.CREATED, referral, f"Logged referral {referral}")
            for notification in plan.objects["notification"]:
                on_review = review if notification.kind != NotificationKind.REFERRAL_TO_PANEL else None
                actor = plan.referrer if on_review is None else chair
                log(
                    notification.queued_at, actor, A.QUEUED, notification, f"{notification} queued", on_review
                )
                if notification.sent_at:
                    summary = f"{notification} marked as sent"
                    log(notification.sent_at, people["manager"], A.SENT, notification, summary, review)
            log(
                decision.decided_at,
                chair,
                A.DECIDED,
                decision,
                f"{referral}: {decision.get_outcome_display()} (panel meeting of {long_date(plan.decision_date)})",
            )
            log(review.created_at, chair, A.CREATED, review, f"Opened {review}", review)
            source = S.TOR_DRAFTING
            for step in plan.made:
                by = review.overview_author if step.by == "overview" else people[step.by]
                moment = self.at(plan.steps[step.name], step.name)
                moved(moment, by, review, review_probe, step.name, source, step.target, review_type, review)
                source = step.target
            for extension in plan.objects["extension"]:
                summary = f"Extended from {long_date(extension.previous_due_date)} to {long_date(extension.new_due_date)}"
                log(extension.recorded_at, extension.recorded_by, A.CHANGED, extension, summary, review)
            for board in plan.objects["board"]:
                log(
                    board.decided_at,
                    board.decided_by,
                    A.DECIDED,
                    board,
                    "The board's decision: Approved",
                    review,
                )
            if plan.overview_commissioned_on:
                moment = self.at(plan.overview_commissioned_on, "commissioned")
                summary = f"{review.overview_author} commissioned as overview author"
                log(moment, people["manager"], A.ASSIGNED, review, summary, review)
            if review.overview_declaration_signed_at:
                summary = f"{review.overview_author} signed the overview author's independence declaration"
                log(
                    review.overview_declaration_signed_at,
                    review.overview_author,
                    A.SIGNED,
                    review,
                    summary,
                    review,
                )
            for p in plan.participations:
                participation = p.obj
                if participation.files_secured_at:
                    summary = f"{p.agency} secured its case files"
                    log(
                        participation.files_secured_at,
                        p.secured_by,
                        A.CHANGED,
                        participation,
                        summary,
                        review,
                    )
                if p.imr is None:
                    continue
                i, imr = p.imr, p.imr.obj
                summary = f"{i.author} nominated as IMR author for {p.agency}"
                log(imr.nominated_at, i.nominated_by, A.ASSIGNED, imr, summary, review)
                if imr.declaration_signed_at:
                    summary = f"{i.author} signed the independence declaration"
                    log(imr.declaration_signed_at, i.author, A.SIGNED, imr, summary, review)
                # The IMR's own moves: started and submitted by its author, then accepted or returned.
                imr_moves = []
                if i.started_on:
                    imr_moves.append(("start", IMRState.IN_PROGRESS, i.started_on, "imr_start", i.author))
                if i.submitted_on:
                    imr_moves.append(("submit", IMRState.SUBMITTED, i.submitted_on, "imr_submit", i.author))
                if i.critiqued_on:
                    name = "accept" if i.state == IMRState.ACCEPTED else "return_for_work"
                    critic = review.overview_author if plan.reached(S.OVERVIEW) else chair
                    imr_moves.append((name, i.state, i.critiqued_on, "imr_critique", critic))
                source = IMRState.NOMINATED
                for name, target, day, event, by in imr_moves:
                    moved(self.at(day, event), by, imr, imr_probe, name, source, target, imr_type, review)
                    source = target
                if plan.viewed_on and p is plan.participations[0]:
                    log(
                        self.at(plan.viewed_on, "viewed"),
                        people["manager"],
                        A.VIEWED,
                        imr,
                        f"Viewed {imr}",
                        review,
                    )
        with timestamps_as_given(_field(AuditEvent, "at")):
            self._bulk(AuditEvent, audit, "audit events")
        self._bulk(StateLog, states, "state log entries")

    # Access: each IMR's author holds the grants the nomination service gives.

    def _grant(self, plans):
        by_author = defaultdict(list)
        for plan in plans:
            for p in plan.participations:
                if p.imr:
                    by_author[p.imr.author.pk].append(p.imr.obj)
        demo = {user.pk for user in self.demo_authors.values()}
        authors = {user.pk: user for users in self.authors.values() for user in users}
        authors.update({user.pk: user for user in self.demo_authors.values()})
        for author_pk, imrs in sorted(by_author.items()):
            author = authors[author_pk]
            if author_pk in demo:
                # The demo people sign in: theirs go through the service's own grant, one IMR at a time.
                for imr in imrs:
                    _grant_imr(author, imr)
            else:
                assign_perm(perms.VIEW_IMR, author, imrs)
                assign_perm(perms.CHANGE_IMR, author, imrs)
                reviews = list(
                    {imr.participation.review.pk: imr.participation.review for imr in imrs}.values()
                )
                assign_perm(perms.VIEW_REVIEW, author, reviews)
            self.counts["IMR grants"] += len(imrs)

    def _report(self, plans, seed, elapsed):
        states = Counter(plan.state for plan in plans)
        extended = sum(1 for plan in plans if plan.extensions)
        self.stdout.write(
            self.style.SUCCESS(f"Added {len(plans):,} reviews in {elapsed:.1f} s (seed {seed}).")
        )
        self.stdout.write(
            "By stage: "
            + ", ".join(f"{state.label} {states[state]:,}" for state in ReviewState if states[state])
        )
        self.stdout.write(
            f"Open {sum(1 for p in plans if p.state in OPEN):,}, closed {states[S.CLOSED]:,}, "
            f"extended {extended:,}."
        )
        self.stdout.write(
            "Rows added: " + ", ".join(f"{label} {count:,}" for label, count in self.counts.items())
        )
        self.stdout.write("Time: " + ", ".join(f"{name} {t:.1f} s" for name, t in self.timings.items()))
