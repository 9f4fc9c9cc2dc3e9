"""People doing the same thing at the same instant, on PostgreSQL: nothing lost, no error page."""

import datetime
import threading

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from agencies.roles import Role
from reviews import services
from reviews.models import IMR, Document, InvolvedStaff, Referral, ReviewState, Theme
from reviews.sample_pdf import text_pdf
from tests.conftest import require_service_check

TODAY = timezone.localdate


@pytest.fixture
def postgres(transactional_db):
    require_service_check("PostgreSQL", "postgresql" in settings.DATABASES["default"]["ENGINE"])
    # A transactional test empties the tables after each test, the role groups of the data migration too.
    for role in Role:
        Group.objects.get_or_create(name=role)


pytestmark = pytest.mark.usefixtures("postgres")


def at_once(*calls):
    """Run every call in its own thread and connection, released together; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the test inspects what each caller met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def referral_data(cast, child):
    return {
        "child_name": child,
        "child_date_of_birth": datetime.date(2024, 2, 29),
        "child_unborn": False,
        "family_members": "",
        "incident_date": TODAY() - datetime.timedelta(days=3),
        "incident_kind": "serious_injury",
        "summary": "Admitted with a fractured skull.",
        "agencies_involved": [cast["hospital"], cast["police"]],
        "police_investigating": False,
    }


@pytest.mark.django_db(transaction=True)
def test_six_referrals_logged_at_once_get_six_references(cast):
    results = at_once(
        *[
            (lambda n=n: services.referral_log(actor=cast["referrer"], **referral_data(cast, f"Child {n}")))
            for n in range(6)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    year = TODAY().year
    assert sorted(Referral.objects.values_list("reference", flat=True)) == [
        f"REF-{year}-{n:03d}" for n in range(1, 7)
    ]
    assert sorted(r.reference for r in results) == [f"REF-{year}-{n:03d}" for n in range(1, 7)]


@pytest.mark.django_db(transaction=True)
def test_six_referrals_posted_at_once_through_the_page_answer_no_error(cast):
    def post(n):
        client = Client()
        client.force_login(cast["referrer"])
        data = {
            "child_name": f"Child {n}",
            "child_date_of_birth_day": "29",
            "child_date_of_birth_month": "2",
            "child_date_of_birth_year": "2024",
            "incident_date_day": str((TODAY() - datetime.timedelta(days=3)).day),
            "incident_date_month": str((TODAY() - datetime.timedelta(days=3)).month),
            "incident_date_year": str((TODAY() - datetime.timedelta(days=3)).year),
            "incident_kind": "serious_injury",
            "summary": "Admitted.",
            "agencies_involved": [cast["hospital"].pk],
            "police_investigating": "no",
        }
        return client.post(reverse("reviews:referral-create"), data).status_code

    assert at_once(*[(lambda n=n: post(n)) for n in range(6)]) == [302] * 6
    assert Referral.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_the_same_referral_submitted_twice_at_once_is_logged_once(cast):
    data = referral_data(cast, "Ellie Carter")
    results = at_once(*[(lambda: services.referral_log(actor=cast["referrer"], **data))] * 2)
    refused = [r for r in results if isinstance(r, services.ActionNotAllowed)]
    assert len(refused) == 1 and Referral.objects.count() == 1
    assert list(refused[0].by_field()) == ["log_another"]
    assert Referral.objects.get().notifications.count() == 2  # notification 1, once per body


@pytest.mark.django_db(transaction=True)
def test_the_same_pseudonym_added_twice_at_once_is_refused_on_the_field(walk):
    review = walk.at(ReviewState.TOR_DRAFTING)

    def add():
        return services.involved_staff_add(
            actor=walk.cast["manager"],
            review=review,
            agency=walk.cast["hospital"],
            pseudonym="Midwife 1",
            real_name="Jo Bloggs",
            role_title="Midwife",
        )

    results = at_once(add, add)
    refused = [r for r in results if isinstance(r, services.ActionNotAllowed)]
    assert len(refused) == 1
    assert refused[0].by_field() == {
        "pseudonym": ["The pseudonym “Midwife 1” is already used in this review"]
    }
    assert InvolvedStaff.objects.filter(review=review, pseudonym="Midwife 1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_decisions_on_different_referrals_at_once_both_open_reviews(walk):
    first, second = walk.referral(), walk.referral()
    second.child_name = "Sam Carter"

    def decide(referral):
        return services.referral_decide(
            actor=walk.cast["chair"],
            referral=referral,
            held_on=TODAY() - datetime.timedelta(days=1),
            attendees=[walk.cast["chair"]],
            criteria={
                name: name == "criterion_b"
                for name in (
                    "criterion_a",
                    "criterion_b",
                    "criterion_c",
                    "criterion_d",
                    "criterion_e",
                    "criterion_f",
                )
            },
            outcome="scr",
            rationale="Life-threatening injury.",
        )

    results = at_once(lambda: decide(first), lambda: decide(second))
    assert [r for r in results if isinstance(r, Exception)] == []
    year = (TODAY() - datetime.timedelta(days=1)).year
    assert sorted(r.referral.review.reference for r in results) == [f"SCR-{year}-001", f"SCR-{year}-002"]


def _started_hospital_imr(walk):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imr = review.participations.get(agency=walk.cast["hospital"]).imr
    return services.imr_move(actor=walk.cast["author"], imr=imr, move="start")


@pytest.mark.django_db(transaction=True)
def test_two_first_report_uploads_at_once_make_one_report_with_two_versions(walk):
    imr = _started_hospital_imr(walk)
    author = walk.cast["author"]
    results = at_once(
        *[
            (
                lambda n=n: services.imr_report_upload(
                    actor=author, imr=imr, content=text_pdf(f"Draft {n}"), filename="r.pdf"
                )
            )
            for n in range(2)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    document = Document.objects.get(imr=imr)
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_four_recommendations_added_at_once_are_numbered_one_to_four(walk):
    imr = _started_hospital_imr(walk)
    author, review = walk.cast["author"], imr.participation.review
    results = at_once(
        *[
            (
                lambda n=n: services.recommendation_add(
                    actor=author, review=review, imr=imr, text=f"Recommendation {n}."
                )
            )
            for n in range(4)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    assert sorted(imr.recommendations.values_list("number", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_the_same_imr_submitted_twice_at_once_is_submitted_once(walk):
    imr = _started_hospital_imr(walk)
    author = walk.cast["author"]
    walk.complete_imr(imr, feedback=False)
    services.imr_move(actor=walk.cast["chair"], imr=imr, move="return_for_work", note="More on supervision.")

    def submit():
        client = Client()
        client.force_login(author)
        return client.post(reverse("reviews:imr-move", args=[imr.pk, "submit"]), {"note": ""}).status_code

    results = at_once(submit, submit)
    # One submits; the other finds it submitted already and is told so on the page, never an error page.
    assert sorted(results) == [302, 404] or sorted(results) == [302, 400], results
    assert (
        StateLog.objects.for_(imr).filter(transition="submit").count() == 2
    )  # the first submission and this one


@pytest.mark.django_db(transaction=True)
def test_recommendations_and_contacts_added_at_once_neither_deadlock_nor_error(walk):
    imr = _started_hospital_imr(walk)
    author = walk.cast["author"]

    def post(name, data):
        def call():
            client = Client()
            client.force_login(author)
            return client.post(reverse(f"reviews:{name}", args=[imr.pk]), data).status_code

        return call

    contact = {
        "date": (TODAY() - datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
        "time": "",
        "contact_type": "home visit",
        "with_whom": "mother",
        "practitioner": "Health Visitor 1",
        "summary": "Visit.",
        "key_practice_episode": "no",
    }
    calls = []
    for n in range(4):
        calls += [
            post("recommendation-add", {"text": f"Recommendation {n}."}),
            post("chronology-entry-add", contact | {"summary": f"Visit {n}."}),
        ]
    assert at_once(*calls) == [302] * 8
    assert sorted(imr.recommendations.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert imr.chronology_entries.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_recommendation_added_as_the_imr_is_submitted_is_refused_or_comes_before(walk):
    imr = _started_hospital_imr(walk)
    author = walk.cast["author"]
    walk.complete_imr(imr, feedback=False)
    services.imr_move(actor=walk.cast["chair"], imr=imr, move="return_for_work", note="More.")
    review = imr.participation.review

    def add():
        return services.recommendation_add(actor=author, review=review, imr=imr, text="Late.")

    def submit():
        return services.imr_move(actor=author, imr=imr, move="submit")

    results = at_once(submit, add, add, add)
    imr.refresh_from_db()
    errors = [" ".join(getattr(r, "reasons", [str(r)])) for r in results if isinstance(r, Exception)]
    # Never a recommendation after the submission: either the adds came first and the submission was
    # refused for want of their actions, or the submission came first and the adds were refused.
    assert not (imr.state == "submitted" and imr.recommendations.filter(actions__isnull=True).exists()), (
        errors
    )
    if imr.state == "submitted":
        assert errors == ["The IMR has been submitted and can no longer be changed."] * 3
    else:
        assert errors and all(
            "Add an action to the agency action plan for recommendation" in e for e in errors
        )


@pytest.mark.django_db(transaction=True)
def test_two_first_overview_report_uploads_at_once_make_one_report_with_two_versions(walk):
    review = walk.at(ReviewState.OVERVIEW)
    author = walk.cast["overview"]
    results = at_once(
        *[
            (
                lambda n=n: services.overview_report_upload(
                    actor=author, review=review, content=text_pdf(f"Draft {n}"), filename="o.pdf"
                )
            )
            for n in range(2)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    document = Document.objects.get(review=review, kind=Document.Kind.OVERVIEW_REPORT)
    assert sorted(document.versions.values_list("number", flat=True)) == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_four_overview_recommendations_added_at_once_are_numbered_one_to_four(walk):
    review = walk.at(ReviewState.OVERVIEW)
    author = walk.cast["overview"]
    results = at_once(
        *[
            (
                lambda n=n: services.recommendation_add(
                    actor=author, review=review, text=f"Recommendation {n}."
                )
            )
            for n in range(4)
        ]
    )
    assert [r for r in results if isinstance(r, Exception)] == []
    numbers = review.recommendations.filter(imr__isnull=True).values_list("number", flat=True)
    assert sorted(numbers) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_the_same_share_granted_twice_at_once_is_granted_once(walk):
    review = walk.at(ReviewState.OVERVIEW)
    chair, manager = walk.cast["chair"], walk.cast["agencymanager"]
    results = at_once(
        *[(lambda: services.overview_share_grant(actor=chair, review=review, shared_with=manager))] * 2
    )
    refused = [r for r in results if isinstance(r, services.ActionNotAllowed)]
    assert len(refused) == 1
    assert refused[0].by_field() == {"shared_with": [f"The overview report is already shared with {manager}"]}
    assert review.overview_shares.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_same_theme_added_twice_at_once_is_refused_on_the_name(cast):
    results = at_once(
        lambda: services.theme_add(actor=cast["qa"], name="Neglect"),
        lambda: services.theme_add(actor=cast["qa"], name=" NEGLECT "),
    )
    refused = [r for r in results if isinstance(r, services.ActionNotAllowed)]
    assert len(refused) == 1, results
    assert refused[0].by_field() == {
        "name": [f"There is already a theme called “{Theme.objects.get().name}”"]
    }


@pytest.mark.django_db(transaction=True)
def test_the_same_theme_posted_twice_at_once_answers_a_form_error_not_an_error_page(cast):
    def post(name):
        def call():
            client = Client()
            client.force_login(cast["qa"])
            response = client.post(reverse("reviews:theme-list"), {"name": name})
            return response.status_code, response.context and response.context["form"].errors

        return call

    results = at_once(post("Information sharing"), post("information SHARING"))
    assert sorted(status for status, _ in results) == [302, 400], results
    errors = next(errors for status, errors in results if status == 400)
    assert errors == {"name": [f"There is already a theme called “{Theme.objects.get().name}”"]}


def _action(walk):
    """The hospital's action on a review whose IMRs are submitted, started by its owner."""
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    walk.ready(review)
    item = review.action_plans.get(agency=walk.cast["hospital"]).items.first()
    # Submitted, so that the QA sub-group monitors its plan.
    IMR.objects.filter(participation__review=review).update(state="submitted", submitted_at=timezone.now())
    return services.action_item_move(actor=walk.cast["agencymanager"], item=item, move="start")


def test_the_same_evidence_uploaded_twice_at_once_is_one_document_and_one_refusal(walk):
    item = _action(walk)
    upload = lambda: services.action_evidence_add(  # noqa: E731
        actor=walk.cast["agencymanager"], item=item, title="Audit", content=text_pdf("A"), filename="a.pdf"
    )
    results = at_once(upload, upload)
    assert Document.objects.filter(action=item).count() == 1
    assert sorted(type(r).__name__ for r in results) == ["ActionNotAllowed", "DocumentVersion"]


def test_a_completion_and_a_verification_posted_at_once_answer_no_error_page(walk):
    item = _action(walk)
    services.action_item_move(
        actor=walk.cast["agencymanager"], item=item, move="complete", evidence="Audited."
    )

    def post(role, path, data):
        def call():
            client = Client()
            client.force_login(walk.cast[role])
            return client.post(path, data).status_code

        return call

    verify = reverse("reviews:action-move", args=[item.pk, "verify"])
    reopen = reverse("reviews:action-move", args=[item.pk, "reopen"])
    note = reverse("reviews:action-monitoring-note", args=[item.pk])
    progress = reverse("reviews:action-progress-add", args=[item.pk])
    statuses = at_once(
        post("qa", verify, {}),
        post("qa", reopen, {"note": "Not enough."}),
        post("qa", note, {"note": "Seen."}),
        post("agencymanager", progress, {"note": "More done."}),
    )
    assert all(status in (302, 400, 403, 404) for status in statuses), statuses
    item.refresh_from_db()
    # One after the other, never both from "Completed": verify, or reopen, or verify then reopen
    # (a verified action may be reopened); the action is where the last one left it, the note kept.
    moves = list(
        StateLog.objects.for_(item)
        .filter(transition__in=["verify", "reopen"])
        .order_by("timestamp", "pk")
        .values_list("source_state", "transition")
    )
    assert moves in (
        [("completed", "verify")],
        [("completed", "reopen")],
        [("completed", "verify"), ("verified", "reopen")],
    ), moves
    assert item.state == {"verify": "verified", "reopen": "in_progress"}[moves[-1][1]]
    assert item.monitoring_notes.count() == 1
