"""The action plans at a glance, one review's progress and its PDF report: who sees them, what they show."""

import datetime
import subprocess
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import pdf
from reviews.action_charts import burn_down_svg, overdue_bars_svg, status_bars_svg, status_table
from reviews.action_progress import AgencyCount, BurnDown, BurnDownMonth, StatusCounts
from reviews.models import ActionItem, ActionPlan, AuditEvent, MonitoringNote, RenderedPdf
from tests.factories import AgencyFactory, agreed_plan

SVG = "{http://www.w3.org/2000/svg}"
DAY = datetime.timedelta(days=1)


def add(plan, due_on, state="open", *, description="Agree a protocol for sharing information."):
    done = state in ActionItem.DONE
    return ActionItem.objects.create(
        plan=plan,
        description=description,
        owner="Named lead",
        due_on=due_on,
        state=state,
        evidence="Audited." if done else "",
        completed_on=due_on if done else None,
    )


@pytest.fixture
def review_with_actions(walk, cast):
    today = timezone.localdate()
    review = walk.decided()
    hospital = agreed_plan(review, cast["hospital"])
    lscb = ActionPlan.objects.create(review=review, agency=None)
    late = add(hospital, today - 40 * DAY, description="Train staff on bruising in babies.")
    add(hospital, today + 5 * DAY, "in_progress")
    add(hospital, today - 70 * DAY, "completed")
    add(lscb, today - DAY, description="Publish the guidance on home conditions.")
    MonitoringNote.objects.create(item=late, note="Training booked for next month.", recorded_by=cast["qa"])
    return review


# The charts


def test_the_status_chart_is_an_image_with_its_title_description_and_escaped_labels():
    hostile = '<script>alert("x")</script>'
    rows = [
        StatusCounts(hostile, 1, open=3, in_progress=1),
        StatusCounts("LSCB", None, completed=2, verified=4),
    ]
    svg = str(status_bars_svg(rows, chart_id="c", title="Actions by status"))
    assert "<script>" not in svg
    tree = ElementTree.fromstring(svg)
    assert tree.get("role") == "img"
    assert tree.get("aria-labelledby") == "c-title" and tree.get("aria-describedby") == "c-desc"
    assert tree.find(f"{SVG}title").text == "Actions by status"
    assert tree.find(f"{SVG}desc").text == (
        "One bar for each agency, split by status: 10 actions of 2 agencies, 3 open, 1 in progress, "
        "2 completed, 4 verified. The table after the chart gives every figure."
    )
    # Each segment says what it is; the open and in-progress ones are patterned, not only coloured.
    titles = [t.text for t in tree.iter(f"{SVG}title")]
    assert f"{hostile}: 3 open" in titles and "LSCB: 4 verified" in titles
    assert {p.get("id") for p in tree.iter(f"{SVG}pattern")} == {"c-open", "c-in_progress"}
    # The key is in the chart itself.
    words = [t.text for t in tree.iter(f"{SVG}text")]
    assert {"Open", "In progress", "Completed", "Verified"} <= set(words)


def test_the_status_table_is_the_charts_text_alternative():
    rows = [
        StatusCounts("Leeds <Hospitals>", 1, open=3, in_progress=1),
        StatusCounts("LSCB", None, verified=4),
    ]
    table = str(
        status_table(rows, caption="Actions by status", row_header="Agency", href=lambda r: f"/r/{r.pk}")
    )
    assert "Leeds &lt;Hospitals&gt;" in table and '<a class="govuk-link" href="/r/1">' in table
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Actions by status</caption>' in table
    )
    # A row per agency and a row of totals: open, in progress, completed, verified, all.
    cells = [
        "".join(row.itertext())
        for row in ElementTree.fromstring(table.replace("&lt;", "").replace("&gt;", "")).iter("tr")
    ]
    assert cells[-1] == "All31048"


def test_the_overdue_chart_and_the_burn_down_describe_themselves():
    overdue = ElementTree.fromstring(
        str(overdue_bars_svg([AgencyCount("Police", 2, 3)], chart_id="o", title="Overdue actions"))
    )
    assert overdue.find(f"{SVG}desc").text.startswith(
        "One bar for each agency with an overdue action: 3 actions"
    )
    burn = BurnDown(
        months=[
            BurnDownMonth(datetime.date(2025, 12, 1), 2, 1),
            BurnDownMonth(datetime.date(2026, 1, 1), 5, 2),
        ],
        total=5,
        today=datetime.date(2026, 1, 10),
    )
    tree = ElementTree.fromstring(str(burn_down_svg(burn, chart_id="b", title="Burn-down")))
    assert tree.find(f"{SVG}desc").text.startswith(
        "Two lines, month by month from December 2025 to January 2026: the actions due by the end of each month"
    )
    words = [t.text for t in tree.iter(f"{SVG}text")]
    assert {"Dec 2025", "Jan 2026", "Due 5", "Completed 2", "Today"} <= set(words)
    assert str(status_bars_svg([], chart_id="e", title="None")) == ""


# The pages


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["qa", "panel", "board", "manager"])
def test_those_who_see_every_action_plan_see_the_progress(client, cast, review_with_actions, role):
    client.force_login(cast[role])
    page = client.get(reverse("reviews:action-progress", args=[review_with_actions.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'role="img"' in html and "Download the progress report (PDF)" in html
    late = ActionItem.objects.get(description="Train staff on bruising in babies.")
    assert f'href="{reverse("reviews:action-detail", args=[late.pk])}"' in html
    assert "2 overdue actions, the longest overdue first" in html
    charts = client.get(reverse("reviews:action-charts"))
    assert charts.status_code == 200
    assert review_with_actions.reference in charts.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agencymanager", "author", "referrer", "overview"])
def test_anyone_else_gets_404_and_a_denied_row(client, cast, review_with_actions, role):
    user = cast[role]
    client.force_login(user)
    for url in (
        reverse("reviews:action-progress", args=[review_with_actions.pk]),
        reverse("reviews:action-progress-pdf", args=[review_with_actions.pk]),
        reverse("reviews:action-charts"),
    ):
        assert client.get(url).status_code == 404
    denied = AuditEvent.objects.filter(actor=user, action=AuditEvent.Action.DENIED)
    assert denied.filter(summary="Tried to open the action plans at a glance").count() == 1
    assert denied.filter(review=review_with_actions).count() == 2


@pytest.mark.django_db
def test_the_lscb_action_plan_links_to_the_progress_for_those_who_may_see_it(client, cast, walk):
    from reviews.models import ReviewState

    review = walk.at(ReviewState.ACTION_PLAN)
    url = reverse("reviews:lscb-action-plan", args=[review.pk])
    progress = reverse("reviews:action-progress", args=[review.pk])
    client.force_login(cast["qa"])
    assert f'href="{progress}"' in client.get(url).content.decode()
    client.force_login(cast["overview"])
    page = client.get(url)
    assert page.status_code == 200 and progress not in page.content.decode()


def bulk_actions(walk, cast, count):
    today = timezone.localdate()
    agencies = [cast["hospital"], cast["police"], *AgencyFactory.create_batch(3)]
    reviews = [walk.decided() for _ in range(3)]
    plans = [agreed_plan(r, a) for r in reviews for a in agencies]
    plans += [ActionPlan.objects.create(review=r, agency=None) for r in reviews]
    states = ["open", "in_progress", "completed", "verified"]
    items = []
    for i in range(count):
        state = states[i % 4]
        due = today + (i % 120 - 60) * DAY
        done = state in ActionItem.DONE
        items.append(
            ActionItem(
                plan=plans[i % len(plans)],
                description=f"Action {i}",
                owner="Lead",
                due_on=due,
                state=state,
                evidence="Audited." if done else "",
                completed_on=due if done else None,
            )
        )
    ActionItem.objects.bulk_create(items)
    return reviews[0]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 600])
def test_the_pages_take_the_same_queries_for_few_actions_or_many(
    client, walk, cast, count, django_assert_max_num_queries
):
    review = bulk_actions(walk, cast, count)
    client.force_login(cast["qa"])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("reviews:action-charts")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reviews:action-progress", args=[review.pk])).status_code == 200


@pytest.mark.django_db
def test_the_charts_page_caps_the_reviews_with_a_note(client, walk, cast, monkeypatch):
    from reviews.views import action_progress

    monkeypatch.setattr(action_progress, "REVIEW_ROWS", 2)
    bulk_actions(walk, cast, 40)
    client.force_login(cast["qa"])
    html = client.get(reverse("reviews:action-charts")).content.decode()
    assert "The 2 reviews with the most actions open or in progress, of 3 with any." in html


# The PDF


def _pdf_text(content: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return info, text.stdout


@pytest.mark.django_db
def test_the_progress_report_is_a_tagged_landscape_pdf_of_every_action(review_with_actions, tmp_path):
    info, text = _pdf_text(pdf.action_progress_pdf(review_with_actions), tmp_path)
    assert "Tagged:          yes" in info
    assert "Title:           Action plan progress \N{EN DASH} " + review_with_actions.reference in info
    assert "841.89 x 595.276 pts (A4)" in info  # landscape
    words = " ".join(text.split())
    assert "Train staff on bruising in babies." in words
    assert "Publish the guidance on home conditions." in words
    assert "Training booked for next month." in words
    assert "Overdue" in words and "Page 1 of" in words
    # No one's real name: not the child's, nor that of who wrote the note.
    assert "Ellie" not in words and "Fiona" not in words and "MacLeod" not in words


@pytest.mark.django_db
def test_the_report_is_prepared_in_the_background_and_downloaded(
    client, cast, review_with_actions, django_capture_on_commit_callbacks
):
    client.force_login(cast["qa"])
    page = reverse("reviews:action-progress-pdf", args=[review_with_actions.pk])
    assert "Prepare the PDF" in client.get(page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(page).status_code == 302
    rendered = RenderedPdf.objects.get(kind=RenderedPdf.Kind.ACTION_PROGRESS)
    assert rendered.state == RenderedPdf.State.READY and rendered.imr is None
    download = client.get(reverse("reviews:action-progress-pdf-download", args=[review_with_actions.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        actor=cast["qa"],
        action=AuditEvent.Action.DOWNLOADED,
        summary=f"Downloaded the PDF of the action plan progress report of {review_with_actions}",
    ).exists()
    # A new monitoring note makes the report stale: the page asks again, the download goes back to it.
    MonitoringNote.objects.create(
        item=ActionItem.objects.first(), note="Checked again.", recorded_by=cast["qa"]
    )
    again = client.get(reverse("reviews:action-progress-pdf-download", args=[review_with_actions.pk]))
    assert again.status_code == 302 and again["Location"] == page
