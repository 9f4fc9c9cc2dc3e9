"""The bench data: many reviews over every stage, as the product would have left them, on a demo instance."""

import datetime
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency, User
from reviews import permissions as perms
from reviews.deadlines import Rag
from reviews.management.commands.demo_data import AGENCIES
from reviews.models import (
    IMR,
    AgencyParticipation,
    AuditEvent,
    Extension,
    ExternalBody,
    Milestone,
    Notification,
    NotificationKind,
    ReferenceCounter,
    Referral,
    Review,
    ReviewState,
    ReviewType,
)
from reviews.models import review_guards as guards
from reviews.models.review_states import OPEN, SCR_ONLY
from reviews.services.referral import REVIEW_PREFIX, next_reference
from reviews.timeline import review_timeline

S = ReviewState
# As many reviews as there are stages times types: every stage, and every type each stage has.
N = len(ReviewState) * len(ReviewType)
# Every stage a review passes through; withdrawal is an end the bench data does not make.
STAGES = [s for s in ReviewState if s != ReviewState.WITHDRAWN]
VALID_PAIRS = {(s, t) for s in STAGES for t in ReviewType if t == ReviewType.SCR or s not in SCR_ONLY}
# The milestone the product marks done on reaching each stage (services/moves.py, services/participation.py).
DONE_ON_REACHING = {
    Milestone.Kind.TOR_AGREED: S.TOR_AGREED,
    Milestone.Kind.AUTHORS_NOMINATED: S.IMRS_IN_PROGRESS,
    Milestone.Kind.IMRS_SUBMITTED: S.IMRS_SUBMITTED,
    Milestone.Kind.OVERVIEW_TO_BOARD: S.AT_BOARD,
    Milestone.Kind.REVIEW_COMPLETE: S.CLOSED,
}
# The product's own guards that each stage's data must meet: those of the moves that led there.
GUARDS_MET_FROM = [
    (S.TOR_AGREED, guards.terms_of_reference_complete),
    (S.TOR_AGREED, guards.terms_of_reference_shared),
    (S.IMRS_IN_PROGRESS, guards.agencies_ready),
    (S.OVERVIEW, guards.overview_author_commissioned),
    (S.WITH_OFSTED, guards.is_serious_case_review),
    (S.EXECUTIVE_SUMMARY, guards.lscb_action_plan_ready),
    (S.CLOSED, guards.ready_to_close),
]
REFERENCE = re.compile(r"^(REF|SCR|CR|MR)-(\d{4})-(\d{3,})$")


@pytest.fixture
def demo(settings):
    settings.DEMO = True
    call_command("demo_data", stdout=StringIO())
    return {user.username: user for user in User.objects.all()}


def bench(n=N, **options) -> str:
    out = StringIO()
    call_command("bench_data", reviews=n, stdout=out, **options)
    return out.getvalue()


def reached(review, stage) -> bool:
    stages = review.stages()
    return stage in stages and stages.index(review.state) >= stages.index(stage)


def test_bench_data_refuses_unless_the_instance_is_marked_as_a_demo(settings, db):
    settings.DEMO = False
    with pytest.raises(CommandError) as refused:
        call_command("bench_data", reviews=5)
    assert "not marked as a demo" in str(refused.value)
    assert not Review.objects.exists()


@pytest.mark.django_db
def test_bench_data_loads_the_demo_people_first_when_they_are_missing(settings):
    settings.DEMO = True
    out = bench(3)
    assert "loading the demo data first" in out
    assert User.objects.filter(username__in=["author", "author2", "agencymanager"]).count() == 3
    # The demo's own seven cases, six of them reviews, and the three added.
    assert Review.objects.count() == 6 + 3


@pytest.mark.django_db
def test_bench_data_adds_reviews_over_every_stage_and_type_as_the_product_leaves_them(demo, client):
    product_made = list(Review.objects.all())
    before = {model: model.objects.count() for model in (Review, Referral, AuditEvent)}
    out = bench()
    assert re.search(rf"Added {N} reviews in \d+\.\d s \(seed 2026\)\.", out)
    reviews = list(
        Review.objects.exclude(pk__in=[r.pk for r in product_made])
        .select_related("referral__decision__meeting", "overview_author")
        .prefetch_related("milestones", "participations__imr", "extensions")
    )
    assert len(reviews) == N
    assert Review.objects.count() == before[Review] + N
    assert Referral.objects.count() == before[Referral] + N

    # Every stage, every type, every pair a review can be in; most open, some closed.
    assert {r.state for r in reviews} == set(STAGES)
    assert {(r.state, r.review_type) for r in reviews} == VALID_PAIRS
    assert sum(r.state in OPEN for r in reviews) > N / 2

    # Each with its referral and the panel's decision, which opened a review of its type on that day.
    for review in reviews:
        decision = review.referral.decision
        assert decision.outcome == review.review_type
        assert decision.meeting.held_on == review.decision_date
        assert timezone.localdate(review.referral.received_at) <= review.decision_date
        assert review.due_date > review.decision_date and review.current_due_date >= review.due_date

    # The milestones the product computes when the panel decides, done up to the review's stage.
    opened = product_made[0]
    offsets = {m.kind: (m.due_on - opened.decision_date).days for m in opened.milestones.all()}
    offsets.pop(Milestone.Kind.REVIEW_COMPLETE)
    today = timezone.localdate()
    for review in reviews:
        milestones = {m.kind: m for m in review.milestones.all()}
        assert len(review.milestones.all()) == len(opened.milestones.all()) == len(Milestone.Kind)
        for kind, days in offsets.items():
            assert milestones[kind].due_on == review.decision_date + datetime.timedelta(days=days)
        assert milestones[Milestone.Kind.REVIEW_COMPLETE].due_on == review.due_date
        # The next undone milestone's date, stored as the services store it.
        timeline = review_timeline(review, review.milestones.all(), today=today)
        assert review.next_due_on == (timeline.next_milestone.due_on if timeline.next_milestone else None)
        for kind, stage in DONE_ON_REACHING.items():
            done_on = milestones[kind].done_on
            assert (done_on is not None) == reached(review, stage), (review, review.state, kind)
            if done_on:
                assert review.decision_date <= done_on <= today

    # Red, amber and green on the tracker, some extended with each extension on record.
    statuses = Counter(review_timeline(r, r.milestones.all(), today=today).status for r in reviews)
    assert statuses[Rag.RED] and statuses[Rag.AMBER] and statuses[Rag.GREEN] and statuses[Rag.DONE]
    extended = [r for r in reviews if r.current_due_date > r.due_date]
    assert extended
    for review in extended:
        chain = list(review.extensions.all())
        assert chain[0].previous_due_date == review.due_date
        assert chain[-1].new_due_date == review.current_due_date
    assert Extension.objects.filter(review__in=reviews).count() == sum(
        len(r.extensions.all()) for r in reviews
    )

    # Two to four agencies each; an IMR for every one from the IMR stage on, none before the agencies are engaged.
    for review in reviews:
        participations = list(review.participations.all())
        assert 2 <= len(participations) <= 4
        imrs = [p for p in participations if hasattr(p, "imr")]
        if reached(review, S.IMRS_IN_PROGRESS):
            assert len(imrs) == len(participations)
        elif not reached(review, S.AGENCIES_ENGAGED):
            assert not imrs

    # The data of each stage meets the product's guards of the moves that led to it.
    for review in reviews:
        for stage, guard in GUARDS_MET_FROM:
            if reached(review, stage):
                assert guard.reasons(review) == [], (review.state, guard.__name__)
        if review.state == S.IMRS_SUBMITTED:
            assert guards.imrs_all_submitted.reasons(review) == []
        if review.state == S.AGENCIES_ENGAGED:
            assert guards.agencies_ready.reasons(review), "still engaging: some agency has work left"

    # Notification 1 to each body for every referral, and audit rows that make last activity vary.
    bodies = ExternalBody.objects.filter(is_active=True, receives_referral_notices=True).count()
    assert (
        Notification.objects.filter(review__in=reviews, kind=NotificationKind.REFERRAL_TO_PANEL).count()
        == N * bodies
    )
    assert AuditEvent.objects.count() > before[AuditEvent] + N
    assert all(
        AuditEvent.objects.filter(review=r, action=AuditEvent.Action.CREATED).exists() for r in reviews
    )
    latest = {AuditEvent.objects.filter(review=r).latest("at").at for r in reviews}
    assert len(latest) > N / 2
    assert all(at <= timezone.now() for at in latest)

    # The demo author holds the nomination service's grants on some bench IMRs, and sees those reviews.
    author, agency_manager = demo["author"], demo["agencymanager"]
    theirs = IMR.objects.filter(participation__review__in=reviews, author=author).select_related(
        "participation__review"
    )
    assert theirs
    for imr in theirs:
        assert perms.can_view_imr(author, imr)
        assert perms.can_view_review(author, imr.participation.review)
        assert perms.can_write_imr(author, imr) == imr.is_editable
    visible = set(Review.objects.visible_to(author).values_list("pk", flat=True))
    assert {imr.participation.review_id for imr in theirs} <= visible
    # Every bench IMR's author holds the same grants.
    for imr in IMR.objects.filter(participation__review__in=reviews).select_related(
        "author", "participation__review"
    ):
        assert perms.can_view_imr(imr.author, imr) and perms.can_view_review(
            imr.author, imr.participation.review
        )
    # The demo agency manager's hospital takes part in some.
    hospital = Agency.objects.get(name=AGENCIES["hospital"][0])
    with_hospital = {
        p.review_id for p in AgencyParticipation.objects.filter(review__in=reviews, agency=hospital)
    }
    assert with_hospital
    assert with_hospital <= set(Review.objects.visible_to(agency_manager).values_list("pk", flat=True))

    # References unique and in the product's form.
    assert Review.objects.values("reference").distinct().count() == Review.objects.count()
    assert Referral.objects.values("reference").distinct().count() == Referral.objects.count()
    for review in reviews:
        assert REFERENCE.match(review.reference).group(1) == REVIEW_PREFIX[review.review_type]
        assert REFERENCE.match(review.referral.reference).group(1) == "REF"

    # The pages open on the data: the tracker, the homes and a review at every stage.
    client.force_login(demo["manager"])
    assert client.get(reverse("reviews:tracker")).status_code == 200
    for state in STAGES:
        review = next(r for r in reviews if r.state == state)
        assert client.get(reverse("reviews:review-detail", args=[review.pk])).status_code == 200, state
    for username in ("author", "author2", "agencymanager", "overview", "qa", "board"):
        client.force_login(demo[username])
        assert client.get(reverse("home")).status_code == 200, username
    client.force_login(author)
    assert client.get(reverse("reviews:imr-detail", args=[theirs[0].pk])).status_code == 200


@pytest.mark.django_db
def test_running_it_again_adds_as_many_again_and_the_product_allocates_after_them(demo):
    before = Review.objects.count()
    bench()
    first = list(Review.objects.order_by("pk")[before:])
    bench()
    second = list(Review.objects.order_by("pk")[before + N :])
    assert Review.objects.count() == before + 2 * N
    assert len(first) == len(second) == N
    # The same seed, the same cases; new references.
    shape = [(r.state, r.review_type, r.decision_date, r.current_due_date) for r in first]
    assert shape == [(r.state, r.review_type, r.decision_date, r.current_due_date) for r in second]
    assert not {r.reference for r in first} & {r.reference for r in second}
    assert Review.objects.values("reference").distinct().count() == Review.objects.count()
    assert Referral.objects.values("reference").distinct().count() == Referral.objects.count()
    # Another seed, other cases.
    bench(seed=7)
    third = list(Review.objects.order_by("pk")[before + 2 * N :])
    assert [(r.decision_date, r.current_due_date) for r in third] != [
        (r.decision_date, r.current_due_date) for r in first
    ]

    # Each counter stands at the highest number taken; the product's next reference is a new one.
    references = set(Review.objects.values_list("reference", flat=True)) | set(
        Referral.objects.values_list("reference", flat=True)
    )
    taken = Counter()
    for reference in references:
        prefix, year, number = REFERENCE.match(reference).groups()
        taken[prefix, int(year)] = max(taken[prefix, int(year)], int(number))
    for (prefix, year), highest in taken.items():
        assert ReferenceCounter.objects.get(prefix=prefix, year=year).last_number == highest
        with transaction.atomic():
            allocated = next_reference(prefix, year)
        assert allocated not in references
        assert allocated == f"{prefix}-{year}-{highest + 1:03d}"
