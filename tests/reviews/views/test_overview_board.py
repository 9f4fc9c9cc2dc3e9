"""The overview and the board: commissioning the overview author, the overview report with its
recommendations and IMR assessments, its sharing, the board's approval or return, and the LSCB action plan."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.roles import Role
from reviews import scenarios, services
from reviews.models import (
    IMR,
    ActionItem,
    AuditEvent,
    BoardDecision,
    Document,
    DocumentVersion,
    OverviewShare,
    Recommendation,
    Review,
    ReviewState,
)
from reviews.sample_pdf import text_pdf
from tests.factories import UserFactory
from tests.reviews.views.test_bad_input import JUNK
from tests.reviews.views.test_pages import errors

S = ReviewState
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def url(name, review, *args):
    return reverse(f"reviews:{name}", args=[review.pk, *args])


def rows(action, **filters):
    return list(
        AuditEvent.objects.filter(action=action, **filters).order_by("pk").values_list("summary", flat=True)
    )


@pytest.fixture
def second_overview_author(db):
    return UserFactory(
        username="overview2", first_name="Ben", last_name="Marsh", roles=[Role.OVERVIEW_AUTHOR]
    )


# Commissioning the overview author


@pytest.mark.django_db
def test_the_manager_commissions_the_overview_author_who_then_signs(client, walk, cast):
    review = walk.at(S.IMRS_SUBMITTED)
    client.force_login(cast["manager"])
    page = client.get(url("review-detail", review)).content.decode()
    assert url("overview-commission", review) in page
    response = client.post(url("overview-commission", review), {"author": cast["overview"].pk})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.overview_author == cast["overview"] and review.overview_declaration_signed_at is None
    assert rows(AuditEvent.Action.ASSIGNED, review=review, object_type="reviews.review") == [
        f"{cast['overview']} commissioned as overview author"
    ]

    client.force_login(cast["overview"])
    page = client.get(url("review-detail", review)).content.decode()
    assert url("overview-declaration", review) in page
    assert client.post(url("overview-declaration", review), {}).status_code == 400
    assert client.post(url("overview-declaration", review), {"confirm": "on"}).status_code == 302
    review.refresh_from_db()
    assert review.overview_declaration_signed_at is not None


@pytest.mark.django_db
def test_only_overview_authors_are_offered_and_anyone_else_is_refused(client, walk, cast):
    review = walk.at(S.IMRS_SUBMITTED)
    client.force_login(cast["manager"])
    page = client.get(url("overview-commission", review)).content.decode()
    assert "Alison Frost" in page and "Grace Adeyemi" not in page
    response = client.post(url("overview-commission", review), {"author": cast["author"].pk})
    assert response.status_code == 400
    assert errors(response) == ["Select the overview author"]
    response = client.post(url("overview-commission", review), {})
    assert errors(response) == ["Select the overview author"]
    assert Review.objects.get(pk=review.pk).overview_author is None


@pytest.mark.django_db
def test_an_overview_author_involved_in_the_case_is_refused(client, walk, cast):
    review = walk.at(S.IMRS_SUBMITTED)
    services.involved_staff_add(
        actor=cast["manager"],
        review=review,
        agency=cast["hospital"],
        pseudonym="Consultant 1",
        real_name="Alison Frost",
        role_title="Consultant paediatrician",
    )
    client.force_login(cast["manager"])
    response = client.post(url("overview-commission", review), {"author": cast["overview"].pk})
    assert response.status_code == 400
    assert errors(response) == [
        "Alison Frost is recorded as staff involved in this case (Consultant 1), so cannot be an author: "
        "choose someone with no direct involvement."
    ]
    assert Review.objects.get(pk=review.pk).overview_author is None


@pytest.mark.django_db
def test_replacing_the_overview_author_moves_the_grant_and_clears_the_declaration(
    client, walk, cast, second_overview_author
):
    review = walk.at(S.OVERVIEW)
    assert review.overview_declaration_signed_at is not None
    client.force_login(cast["manager"])
    response = client.post(url("overview-commission", review), {"author": cast["overview"].pk})
    assert errors(response) == [f"{cast['overview']} is already the overview author"]
    response = client.post(url("overview-commission", review), {"author": second_overview_author.pk})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.overview_author == second_overview_author
    assert review.overview_declaration_signed_at is None
    assert rows(AuditEvent.Action.REVOKED, review=review) == [
        f"{cast['overview']} is no longer the overview author"
    ]

    client.force_login(cast["overview"])
    assert client.get(url("overview", review)).status_code == 404
    assert client.get(url("review-detail", review)).status_code == 404
    client.force_login(second_overview_author)
    assert client.get(url("overview", review)).status_code == 200


@pytest.mark.django_db
def test_the_author_cannot_be_replaced_once_the_report_is_with_the_board(walk, cast, second_overview_author):
    review = walk.at(S.AT_BOARD)
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.overview_author_commission(
            actor=cast["manager"], review=review, author=second_overview_author
        )
    assert refused.value.reasons == [
        "The overview report has gone to the board: its author can no longer be changed."
    ]


# The overview report


@pytest.mark.django_db
def test_every_view_of_the_overview_report_is_audited_and_others_get_404(client, walk, cast):
    review = walk.ready(walk.at(S.OVERVIEW))
    for who in ("overview", "chair", "manager"):
        client.force_login(cast[who])
        assert client.get(url("overview", review)).status_code == 200
        assert client.get(url("overview-report", review)).status_code == 200
    viewed = AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEWED, review=review, summary__contains="overview"
    )
    assert [(e.actor.username, e.summary) for e in viewed.order_by("pk")] == [
        (who, f"Viewed the overview report of {review}")
        for who in ("overview", "overview", "chair", "chair", "manager", "manager")
    ]
    for who in ("author", "agencymanager", "board", "qa"):
        client.force_login(cast[who])
        assert client.get(url("overview", review)).status_code == 404
    denied = AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, review=review)
    assert [e.actor.username for e in denied.order_by("pk")] == ["author", "agencymanager", "board", "qa"]

    version = DocumentVersion.objects.get(
        document__review=review, document__kind=Document.Kind.OVERVIEW_REPORT
    )
    client.force_login(cast["chair"])
    assert client.get(reverse("reviews:document-download", args=[version.pk])).status_code == 200
    assert rows(AuditEvent.Action.DOWNLOADED, review=review) == [f"Downloaded {version.document} version 1"]
    client.force_login(cast["author"])
    assert client.get(reverse("reviews:document-download", args=[version.pk])).status_code == 404


@pytest.mark.django_db
def test_the_author_uploads_versions_and_a_bad_file_is_refused(client, walk, cast):
    review = walk.at(S.OVERVIEW)
    client.force_login(cast["overview"])
    post = lambda name, content: client.post(  # noqa: E731
        url("overview-report", review), {"file": SimpleUploadedFile(name, content)}
    )
    assert post("overview.pdf", text_pdf("Overview")).status_code == 302
    assert post("overview-2.pdf", text_pdf("Overview, second draft")).status_code == 302
    response = post("overview.pdf", b"<html><script>alert(1)</script></html>")
    assert response.status_code == 400
    assert errors(response) == [
        "The selected file must be a PDF or a Word document (DOCX): “overview.pdf” is neither"
    ]
    response = client.post(url("overview-report", review), {})
    assert errors(response) == ["Choose the report to upload"]
    assert list(
        DocumentVersion.objects.filter(document__review=review, document__kind=Document.Kind.OVERVIEW_REPORT)
        .order_by("number")
        .values_list("number", "original_filename")
    ) == [(1, "overview.pdf"), (2, "overview-2.pdf")]
    page = client.get(url("overview", review)).content.decode()
    assert "overview-2.pdf" in page and "all 2 versions" in page


@pytest.mark.django_db
def test_the_board_member_may_not_upload_and_the_attempt_is_recorded(client, walk, cast):
    review = walk.ready(walk.at(S.OVERVIEW))
    review = walk.move(review)
    client.force_login(cast["board"])
    response = client.post(
        url("overview-report", review), {"file": SimpleUploadedFile("x.pdf", text_pdf("x"))}
    )
    assert response.status_code == 403
    assert (
        DocumentVersion.objects.filter(
            document__review=review, document__kind=Document.Kind.OVERVIEW_REPORT
        ).count()
        == 1
    )
    assert rows(AuditEvent.Action.DENIED, review=review) == [
        "Tried to change the overview report: Only the overview author uploads the report, at the overview stage."
    ]


@pytest.mark.django_db
def test_overview_recommendations_are_numbered_changed_and_checked(client, walk, cast):
    review = walk.at(S.OVERVIEW)
    client.force_login(cast["overview"])
    add = url("overview-recommendation-add", review)
    assert client.post(add, {"text": "Publish guidance on bruising."}).status_code == 302
    assert client.post(add, {"text": "Audit referrals."}).status_code == 302
    response = client.post(add, {"text": "  "})
    assert response.status_code == 400 and errors(response) == ["Enter the recommendation"]
    change = url("overview-recommendation-change", review, 2)
    assert client.post(change, {"text": "Audit referrals every year."}).status_code == 302
    assert client.get(url("overview-recommendation-change", review, 9)).status_code == 404
    assert list(review.recommendations.filter(imr__isnull=True).values_list("number", "text")) == [
        (1, "Publish guidance on bruising."),
        (2, "Audit referrals every year."),
    ]


@pytest.mark.django_db
def test_the_author_assesses_each_imr_beside_its_accept(client, walk, cast):
    review = walk.at(S.OVERVIEW)
    imr = review.participations.get(agency=cast["hospital"]).imr
    client.force_login(cast["overview"])
    page = client.get(url("overview", review)).content.decode()
    assert reverse("reviews:imr-move", args=[imr.pk, "accept"]) in page
    assert url("overview-critique", review, imr.pk) in page
    critique = url("overview-critique", review, imr.pk)
    response = client.post(critique, {"text": "   "})
    assert response.status_code == 400 and errors(response) == ["Enter your assessment of the IMR"]
    response = client.post(critique, {"text": "x" * 5001})
    assert errors(response) == ["The assessment must be 5,000 characters or fewer"]
    imr.refresh_from_db()
    assert imr.overview_critique == ""
    assert client.post(critique, {"text": "Thorough; little on supervision."}).status_code == 302
    assert client.post(critique, {"text": "Thorough; says little on supervision."}).status_code == 302
    imr.refresh_from_db()
    assert (imr.overview_critique, imr.critiqued_by) == (
        "Thorough; says little on supervision.",
        cast["overview"],
    )
    assert [
        (e.action, e.summary)
        for e in AuditEvent.objects.filter(
            object_type="reviews.imr", review=review, action__in=["created", "changed"]
        ).order_by("pk")
    ][-2:] == [
        ("created", f"Overview assessment of {cast['hospital']}'s IMR written"),
        ("changed", f"Overview assessment of {cast['hospital']}'s IMR changed"),
    ]
    assert "Thorough; says little on supervision." in client.get(url("overview", review)).content.decode()
    # Beside the return and accept on the IMR's own page; its author does not see it.
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "Thorough; says little on supervision." in page and critique in page
    client.force_login(cast["author"])
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "Thorough; says little on supervision." not in page and "assessment" not in page


# Sharing the report


@pytest.mark.django_db
def test_the_panel_shares_the_report_and_revokes_the_share(client, walk, cast):
    review = walk.ready(walk.at(S.OVERVIEW))
    client.force_login(cast["agencymanager"])
    assert client.get(url("overview", review)).status_code == 404

    client.force_login(cast["chair"])
    page = client.get(url("overview-share", review)).content.decode()
    assert "Helen Baptiste" in page and "Ian Stokes" in page and "Grace Adeyemi" not in page
    response = client.post(url("overview-share", review), {"shared_with": cast["author"].pk})
    assert errors(response) == ["Select who to share the overview report with"]
    assert (
        client.post(url("overview-share", review), {"shared_with": cast["agencymanager"].pk}).status_code
        == 302
    )
    share = OverviewShare.objects.get(review=review)
    assert (share.shared_with, share.shared_by, share.revoked_at) == (
        cast["agencymanager"],
        cast["chair"],
        None,
    )
    assert rows(AuditEvent.Action.GRANTED, review=review) == [
        f"Overview report shared with {cast['agencymanager']}"
    ]

    client.force_login(cast["agencymanager"])
    assert client.get(url("overview", review)).status_code == 200
    assert rows(AuditEvent.Action.VIEWED, review=review, actor=cast["agencymanager"]) == [
        f"Viewed the overview report of {review}"
    ]

    client.force_login(cast["chair"])
    revoke = url("overview-share-revoke", review, share.pk)
    assert client.get(revoke).status_code == 200
    assert client.post(revoke, {}).status_code == 302
    share.refresh_from_db()
    assert share.revoked_by == cast["chair"] and share.revoked_at is not None
    assert rows(AuditEvent.Action.REVOKED, review=review) == [
        f"Overview report no longer shared with {cast['agencymanager']}"
    ]
    assert client.post(revoke, {}).status_code == 404

    client.force_login(cast["agencymanager"])
    assert client.get(url("overview", review)).status_code == 404
    assert rows(AuditEvent.Action.DENIED, review=review, actor=cast["agencymanager"])[-1] == (
        f"Tried to open the overview report of {review}"
    )
    # Shared again after a revocation: a new grant, the old one kept on record.
    client.force_login(cast["chair"])
    assert (
        client.post(url("overview-share", review), {"shared_with": cast["agencymanager"].pk}).status_code
        == 302
    )
    assert OverviewShare.objects.filter(review=review).count() == 2


@pytest.mark.django_db
def test_the_business_manager_may_not_share_the_report(client, walk, cast):
    review = walk.at(S.OVERVIEW)
    client.force_login(cast["manager"])
    assert client.get(url("overview-share", review)).status_code == 403
    with pytest.raises(services.ActionNotAllowed):
        services.overview_share_grant(actor=cast["chair"], review=review, shared_with=cast["author"])
    assert not OverviewShare.objects.exists()


# The board


@pytest.mark.django_db
def test_the_board_returns_the_report_with_a_note_then_approves_it(client, walk, cast):
    review = walk.ready(walk.at(S.OVERVIEW))
    imr = review.participations.get(agency=cast["hospital"]).imr
    services.imr_critique_record(actor=cast["overview"], imr=imr, text="A careful, honest IMR.")
    review = walk.move(review)
    assert review.state == S.AT_BOARD

    client.force_login(cast["board"])
    page = client.get(url("review-detail", review)).content.decode()
    assert url("board", review) in page
    page = client.get(url("board", review)).content.decode()
    assert "Publish guidance on bruising." in page and "A careful, honest IMR." in page
    assert (
        reverse(
            "reviews:document-download",
            args=[
                DocumentVersion.objects.get(
                    document__review=review, document__kind=Document.Kind.OVERVIEW_REPORT
                ).pk
            ],
        )
        in page
    )
    assert rows(AuditEvent.Action.VIEWED, review=review, actor=cast["board"]) == [
        f"Viewed the overview report, at the board, of {review}"
    ]
    returning = url("review-move", review, "board_return")
    response = client.post(returning, {"note": "  "})
    assert response.status_code == 400
    assert errors(response) == ["Say why the board is returning the overview report"]
    assert Review.objects.get(pk=review.pk).state == S.AT_BOARD
    assert client.post(returning, {"note": "Say more about the GP's part."}).status_code == 302
    review.refresh_from_db()
    assert review.state == S.OVERVIEW

    # Back with its author, with the board's note; the board no longer reads the report.
    client.force_login(cast["overview"])
    page = client.get(url("overview", review)).content.decode()
    assert "Returned by the board" in page and "Say more about the GP&#x27;s part." in page
    client.force_login(cast["board"])
    assert client.get(url("overview", review)).status_code == 404

    client.force_login(cast["overview"])
    assert client.post(url("review-move", review, "send_to_board"), {"note": ""}).status_code == 302
    client.force_login(cast["board"])
    assert client.post(url("review-move", review, "board_approve"), {"note": ""}).status_code == 302
    review.refresh_from_db()
    assert review.state == S.ACTION_PLAN
    assert list(review.board_decisions.values_list("outcome", "decided_by__username", "note")) == [
        (BoardDecision.Outcome.RETURNED, "board", "Say more about the GP's part."),
        (BoardDecision.Outcome.APPROVED, "board", ""),
    ]
    assert review.board_decisions.last().decided_at.date() == TODAY()
    page = client.get(url("board", review)).content.decode()
    assert "Approved" in page and "Richard Okafor" in page
    client.force_login(cast["overview"])
    assert "Returned by the board" not in client.get(url("overview", review)).content.decode()


# The LSCB action plan


def lscb_action(answered, **more):
    return {
        "recommendation": answered.pk,
        "description": "Publish the guidance.",
        "owner_agency": "lscb",
        "owner": "LSCB Business Manager",
        "due_on_day": "31",
        "due_on_month": "3",
        "due_on_year": str(TODAY().year + 1),
        "success_measure": "An audit finds the guidance used.",
        **more,
    }


@pytest.mark.django_db
def test_the_lscb_plan_lists_recommendations_without_an_action(client, walk, cast):
    review = walk.ready(walk.at(S.OVERVIEW))
    services.recommendation_add(actor=cast["overview"], review=review, text="Audit referrals.")
    services.recommendation_add(actor=cast["overview"], review=review, text="Train GPs.")
    review = walk.move(walk.move(review))
    assert review.state == S.ACTION_PLAN
    client.force_login(cast["manager"])
    page = client.get(url("lscb-action-plan", review)).content.decode()
    assert "Recommendations 1, 2 and 3 have no action yet." in page

    first, second, _ = review.recommendations.filter(imr__isnull=True).order_by("number")
    add = url("lscb-action-add", review)
    assert client.post(add, lscb_action(first)).status_code == 302
    response = client.post(
        add, lscb_action(second, owner_agency=str(cast["police"].pk), owner="Detective Inspector")
    )
    assert response.status_code == 302
    page = client.get(url("lscb-action-plan", review)).content.decode()
    assert "Recommendation 3 has no action yet." in page
    assert "Detective Inspector" in page and "West Yorkshire Police" in page
    item = ActionItem.objects.get(recommendation=second)
    assert (item.owner_agency, item.plan.agency, item.success_measure) == (
        cast["police"],
        None,
        "An audit finds the guidance used.",
    )
    assert ActionItem.objects.get(recommendation=first).owner_agency is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"recommendation": ""}, "Select the recommendation the action answers"),
        ({"recommendation": "999999"}, "Select the recommendation the action answers"),
        ({"description": " "}, "Enter what will be done"),
        ({"owner_agency": ""}, "Select the agency that owns the action"),
        ({"owner_agency": "nonsense"}, "Select the agency that owns the action"),
        ({"owner": ""}, "Enter who owns the action"),
        ({"success_measure": ""}, "Say how you will know the action worked"),
        ({"due_on_day": "31", "due_on_month": "2"}, None),
        ({"due_on_year": "2099"}, None),
    ],
)
def test_bad_input_on_the_lscb_action_form_saves_nothing(client, walk, cast, change, message):
    review = walk.at(S.ACTION_PLAN)
    recommendation = review.recommendations.get(imr__isnull=True)
    client.force_login(cast["manager"])
    response = client.post(url("lscb-action-add", review), lscb_action(recommendation, **change))
    assert response.status_code == 400
    found = errors(response)
    assert len(found) == 1 and (message is None or found == [message])
    assert not ActionItem.objects.filter(plan__review=review, plan__agency__isnull=True).exists()


@pytest.mark.django_db
def test_the_lscb_plan_waits_for_the_boards_approval(walk, cast):
    review = walk.ready(walk.at(S.OVERVIEW))
    with pytest.raises(services.ActionNotAllowed) as refused:
        services.action_item_add(
            actor=cast["manager"],
            review=review,
            agency=None,
            recommendation=review.recommendations.get(imr__isnull=True),
            description="Publish.",
            owner="LSCB",
            due_on=TODAY() + 30 * DAY,
        )
    assert refused.value.reasons == [
        "The LSCB action plan is built from the overview report's recommendations once the board has "
        "approved the report"
    ]
    assert not ActionItem.objects.filter(plan__agency__isnull=True).exists()


# Pages with lists: the same number of queries at two sizes.


def _grow(review, cast, n):
    """`n` more agencies' IMRs, overview recommendations and shares on a review at the overview stage."""
    imrs = scenarios.add_agencies_taking_part(
        review=review, count=n, author=cast["author"], nominated_by=cast["manager"]
    )
    # Stored as accepted, as bench_data stores its rows: the walk through each IMR is tested elsewhere.
    IMR.objects.filter(pk__in=[imr.pk for imr in imrs]).update(
        state=IMR.State.ACCEPTED, submitted_at=timezone.now(), overview_critique="Assessed."
    )
    for number in range(n):
        services.recommendation_add(actor=cast["overview"], review=review, text=f"Recommendation {number}.")
        manager = UserFactory(
            username=f"manager-{review.pk}-{number}",
            agency=imrs[number].participation.agency,
            roles=[Role.AGENCY_SENIOR_MANAGER],
        )
        services.overview_share_grant(actor=cast["chair"], review=review, shared_with=manager)


@pytest.mark.django_db
def test_the_overview_page_costs_the_same_at_two_sizes(client, walk, cast, django_assert_max_num_queries):
    counts = []
    for n in (1, 6):
        review = walk.ready(walk.at(S.OVERVIEW))
        _grow(review, cast, n)
        client.force_login(cast["chair"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("overview", review)).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[1] <= counts[0], counts
    with django_assert_max_num_queries(counts[0]):
        client.get(url("overview", review))


@pytest.mark.django_db
def test_the_board_and_plan_pages_cost_the_same_at_two_sizes(client, walk, cast):
    counts = {"board": [], "lscb-action-plan": []}
    for n in (1, 6):
        review = walk.ready(walk.at(S.OVERVIEW))
        _grow(review, cast, n)
        review = walk.move(review)
        client.force_login(cast["board"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("board", review)).status_code == 200
        counts["board"].append(len(queries.captured_queries))
        review = walk.move(review)
        for recommendation in review.recommendations.filter(imr__isnull=True):
            services.action_item_add(
                actor=cast["manager"],
                review=review,
                agency=None,
                recommendation=recommendation,
                description="Act.",
                owner="LSCB",
                due_on=TODAY() + 30 * DAY,
                owner_agency=cast["police"],
            )
        client.force_login(cast["manager"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url("lscb-action-plan", review)).status_code == 200
        counts["lscb-action-plan"].append(len(queries.captured_queries))
    for page, (small, large) in counts.items():
        assert large <= small, (page, small, large)


# Junk on every form: refused with a page, nothing saved, never a 500.

OVERVIEW_JUNK = [
    *JUNK,
    {
        "text": "é" * 30000,
        "description": "é" * 30000,
        "owner": "x" * 310,
        "success_measure": "é" * 30000,
        "recommendation": "abc",
        "owner_agency": "999999",
        "shared_with": "-1",
        "file": "not a file",
        "due_on_day": "\x00",
    },
]


@pytest.mark.django_db
@pytest.mark.parametrize("junk", OVERVIEW_JUNK)
def test_junk_on_the_overview_and_plan_forms_saves_nothing(client, walk, cast, junk):
    overview = walk.ready(walk.at(S.OVERVIEW))
    imr = overview.participations.get(agency=cast["hospital"]).imr
    plan = walk.at(S.ACTION_PLAN)
    forms = [
        ("manager", url("overview-commission", overview)),
        ("overview", url("overview-declaration", overview)),
        ("overview", url("overview-report", overview)),
        ("overview", url("overview-recommendation-add", overview)),
        ("overview", url("overview-recommendation-change", overview, 1)),
        ("overview", url("overview-critique", overview, imr.pk)),
        ("chair", url("overview-share", overview)),
        ("manager", url("lscb-action-add", plan)),
    ]
    writes = AuditEvent.objects.exclude(action__in=["viewed", "denied", *AuditEvent.SIGNING_IN]).count()
    recommendations = list(Recommendation.objects.values_list("pk", "text"))
    for who, address in forms:
        client.force_login(cast[who])
        response = client.post(address, junk)
        assert response.status_code == 400, (address, response.status_code)
        assert "There is a problem" in response.content.decode(), address
    assert (
        AuditEvent.objects.exclude(action__in=["viewed", "denied", *AuditEvent.SIGNING_IN]).count() == writes
    )
    assert list(Recommendation.objects.values_list("pk", "text")) == recommendations
    assert not OverviewShare.objects.exists()
    assert not ActionItem.objects.filter(plan__agency__isnull=True).exists()
    assert Review.objects.get(pk=overview.pk).overview_author == cast["overview"]


@pytest.mark.django_db
def test_a_manager_the_report_is_shared_with_reads_the_report_not_the_assessments_nor_the_board_page(
    client, walk, cast
):
    review = walk.ready(walk.at(ReviewState.OVERVIEW))
    services.overview_share_grant(actor=cast["chair"], review=review, shared_with=cast["agencymanager"])
    client.force_login(cast["agencymanager"])
    page = client.get(reverse("reviews:overview", args=[review.pk])).content.decode()
    assert "Overview report" in page
    assert "The IMRs" not in page and "Not assessed" not in page
    review = walk.move(review)
    assert review.state == ReviewState.AT_BOARD
    assert client.get(reverse("reviews:board", args=[review.pk])).status_code == 404


@pytest.mark.django_db
def test_the_overview_author_assesses_a_submitted_imr_before_accepting_it(client, walk, cast):
    review = walk.at(ReviewState.IMRS_SUBMITTED)
    services.overview_author_commission(actor=cast["manager"], review=review, author=cast["overview"])
    imr = review.participations.get(agency=cast["hospital"]).imr
    assert imr.state == "submitted"
    client.force_login(cast["overview"])
    page = client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()
    assert "Write the assessment" in page
    url = reverse("reviews:overview-critique", args=[review.pk, imr.pk])
    assert client.post(url, {"text": "Thorough, but says little about supervision."}).status_code == 302
    imr.refresh_from_db()
    assert imr.overview_critique == "Thorough, but says little about supervision."


@pytest.mark.django_db
def test_sending_the_report_to_the_board_does_not_say_it_cannot_be_undone(client, walk, cast):
    review = walk.ready(walk.at(ReviewState.OVERVIEW))
    client.force_login(cast["overview"])
    page = client.get(reverse("reviews:review-move", args=[review.pk, "send_to_board"])).content.decode()
    assert "The board approves the report or returns it to its author with a note." in page
    assert "This cannot be undone" not in page
