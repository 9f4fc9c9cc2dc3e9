"""The monitoring page, its exports, and each action's progress, evidence and monitoring notes."""

import csv
import datetime
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog
from openpyxl import load_workbook

from reviews import services
from reviews.models import (
    IMR,
    ActionItem,
    ActionPlan,
    AuditEvent,
    Document,
    OutboxMessage,
    Recommendation,
    ReviewState,
)
from reviews.monitoring import safe_cell
from reviews.sample_pdf import text_pdf
from tests.html import parse
from tests.reviews.views.test_pages import errors

DAY = datetime.timedelta(days=1)


def add(
    plan, due_on, state="open", *, description="Agree a protocol for sharing information.", owner="Named lead"
):
    done = state in ActionItem.DONE
    return ActionItem.objects.create(
        plan=plan,
        description=description,
        owner=owner,
        due_on=due_on,
        state=state,
        evidence="Audited." if done else "",
        completed_on=due_on if done else None,
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def plans(walk, cast):
    """An SCR whose hospital and police IMRs are submitted, with their plans and the LSCB's."""
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    walk.ready(review)
    ActionItem.objects.all().delete()  # each test sets out its own actions
    IMR.objects.filter(participation__review=review).update(state="submitted", submitted_at=timezone.now())
    return {
        "review": review,
        "hospital": ActionPlan.objects.get_or_create(review=review, agency=cast["hospital"])[0],
        "police": ActionPlan.objects.get_or_create(review=review, agency=cast["police"])[0],
        "lscb": ActionPlan.objects.get_or_create(review=review, agency=None)[0],
    }


def rows(response):
    return list(response.context["listing"].rows)


# The colours on their boundaries


@pytest.mark.django_db
@override_settings(ACTION_AMBER_DAYS=14)
def test_the_colour_is_red_after_the_due_date_amber_to_fourteen_days_before_then_green(
    client, cast, plans, today
):
    plan = plans["hospital"]
    expected = {
        add(plan, today - DAY).pk: "red",
        add(plan, today).pk: "amber",
        add(plan, today + 14 * DAY).pk: "amber",
        add(plan, today + 15 * DAY).pk: "green",
        add(plan, today - 30 * DAY, "completed").pk: "done",
        add(plan, today - 30 * DAY, "verified").pk: "done",
    }
    client.force_login(cast["qa"])
    listed = {item.pk: item.rag for item in rows(client.get(reverse("reviews:action-list")))}
    assert listed == expected


@pytest.mark.django_db
@override_settings(ACTION_AMBER_DAYS=3)
def test_the_amber_window_is_a_setting(client, cast, plans, today):
    plan = plans["hospital"]
    three, four = add(plan, today + 3 * DAY), add(plan, today + 4 * DAY)
    client.force_login(cast["qa"])
    listed = {item.pk: item.rag for item in rows(client.get(reverse("reviews:action-list")))}
    assert listed == {three.pk: "amber", four.pk: "green"}


# Filters and sorting


@pytest.mark.django_db
def test_each_filter_narrows_the_list(client, cast, plans, today):
    late_hospital = add(plans["hospital"], today - 3 * DAY)
    soon_police = add(plans["police"], today + 2 * DAY, "in_progress")
    lscb = add(plans["lscb"], today + 40 * DAY)
    done = add(plans["hospital"], today - 9 * DAY, "completed")
    other = add(plans["lscb"], today + 100 * DAY)
    client.force_login(cast["qa"])

    def listed(**query):
        return {item.pk for item in rows(client.get(reverse("reviews:action-list"), query))}

    everything = {late_hospital.pk, soon_police.pk, lscb.pk, done.pk, other.pk}
    assert listed() == everything
    assert listed(colour="red") == {late_hospital.pk}
    assert listed(colour="amber") == {soon_police.pk}
    assert listed(colour="green") == {lscb.pk, other.pk}
    assert listed(colour="done") == {done.pk}
    assert listed(state="in_progress") == {soon_police.pk}
    assert listed(agency=str(cast["hospital"].pk)) == {late_hospital.pk, done.pk}
    assert listed(agency="lscb") == {lscb.pk, other.pk}
    assert listed(review=plans["review"].reference.lower()) == everything
    assert listed(review="SCR-1999-001") == set()
    assert listed(due_before=(today + 3 * DAY).strftime("%d/%m/%Y")) == {
        late_hospital.pk,
        soon_police.pk,
        done.pk,
    }
    # An LSCB action owned by an agency is that agency's too.
    lscb.owner_agency = cast["police"]
    lscb.save(update_fields=["owner_agency"])
    assert listed(agency=str(cast["police"].pk)) == {soon_police.pk, lscb.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2027", "Enter the “Due before” date as a date, like 27/03/2027"),
        ("03/2027", "Enter the “Due before” date as a whole date, like 27/03/2027, not a month"),
        ("01/01/1999", "The “Due before” date must be between 1 January 2000 and 31 December"),
        ("01/01/9999", "The “Due before” date must be between 1 January 2000 and 31 December"),
        ("x" * 5000, "Enter the “Due before” date as a date, like 27/03/2027"),
    ],
)
def test_a_bad_due_before_date_shows_its_error_and_is_not_applied(client, cast, plans, today, value, message):
    item = add(plans["hospital"], today)
    client.force_login(cast["qa"])
    response = client.get(reverse("reviews:action-list"), {"due_before": value})
    assert response.status_code == 200
    assert [i.pk for i in rows(response)] == [item.pk]
    assert message in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"colour": "<script>"},
        {"agency": "99999999999999999999"},
        {"state": "nonsense"},
        {"sort": "'; drop table"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"review": "x" * 500},
    ],
)
def test_hostile_addresses_never_fail(client, cast, plans, today, query):
    add(plans["hospital"], today)
    client.force_login(cast["qa"])
    response = client.get(reverse("reviews:action-list"), query)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main")[1]


@pytest.mark.django_db
def test_sorting_by_colour_puts_red_first_and_by_last_update_the_latest_first(client, cast, plans, today):
    green = add(plans["hospital"], today + 60 * DAY)
    red = add(plans["hospital"], today - 60 * DAY)
    amber = add(plans["hospital"], today + DAY)
    now = timezone.now()
    ActionItem.objects.filter(pk=green.pk).update(last_update_at=now)
    ActionItem.objects.filter(pk=red.pk).update(last_update_at=now - DAY)
    client.force_login(cast["qa"])
    by_colour = rows(client.get(reverse("reviews:action-list"), {"sort": "colour"}))
    assert [i.pk for i in by_colour] == [red.pk, amber.pk, green.pk]
    by_update = rows(client.get(reverse("reviews:action-list"), {"sort": "updated"}))
    assert [i.pk for i in by_update] == [green.pk, red.pk, amber.pk]


# Who sees which actions


@pytest.mark.django_db
def test_agency_staff_see_only_their_agencys_actions_and_others_get_404(client, cast, plans, today):
    hospital = add(plans["hospital"], today)
    police = add(plans["police"], today)
    lscb = add(plans["lscb"], today)
    for role, expected in [
        ("qa", {hospital.pk, police.pk, lscb.pk}),
        ("board", {hospital.pk, police.pk, lscb.pk}),
        ("agencymanager", {hospital.pk}),
        ("author", {hospital.pk}),
        ("policemanager", {police.pk}),
    ]:
        client.force_login(cast[role])
        assert {i.pk for i in rows(client.get(reverse("reviews:action-list")))} == expected, role
    for role in ("referrer", "overview"):
        client.force_login(cast[role])
        assert client.get(reverse("reviews:action-list")).status_code == 404


@pytest.mark.django_db
def test_the_qa_sub_group_sees_no_imr_content_on_the_monitoring_pages(client, cast, plans, today):
    item = add(plans["hospital"], today)
    imr = plans["review"].participations.get(agency=cast["hospital"]).imr
    client.force_login(cast["qa"])
    for url in (reverse("reviews:action-list"), reverse("reviews:action-detail", args=[item.pk])):
        page = client.get(url).content.decode()
        assert reverse("reviews:imr-detail", args=[imr.pk]) not in page
    assert client.get(reverse("reviews:imr-detail", args=[imr.pk])).status_code == 404
    assert client.get(reverse("reviews:imr-report", args=[imr.pk])).status_code == 404


# Query counts at two sizes


def _many(plans, today, count):
    plan = plans["hospital"]
    ActionItem.objects.bulk_create(
        ActionItem(plan=plan, description=f"Action {n}", owner="Lead", due_on=today + (n % 40 - 20) * DAY)
        for n in range(count)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("count", [10, 2000])
def test_the_monitoring_page_costs_the_same_queries_at_ten_or_thousands(
    client, cast, plans, today, count, django_assert_max_num_queries
):
    _many(plans, today, count)
    for role in ("qa", "agencymanager"):
        client.force_login(cast[role])
        with django_assert_max_num_queries(14):
            response = client.get(reverse("reviews:action-list"), {"sort": "colour", "colour": "red"})
        assert response.status_code == 200
        assert response.context["listing"].count == ActionItem.objects.filter(due_on__lt=today).count()


# Exports


HOSTILE = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "Plain"]


@pytest.fixture
def hostile_actions(plans, today):
    return [
        add(plans["hospital"], today + n * DAY, description=text, owner=text)
        for n, text in enumerate(HOSTILE)
    ]


def test_a_cell_that_could_run_as_a_formula_is_neutralised():
    assert [safe_cell(text) for text in HOSTILE] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
        "Plain",
    ]
    assert safe_cell(None) is None and safe_cell(datetime.date(2027, 1, 1)) == datetime.date(2027, 1, 1)


@pytest.mark.django_db
def test_the_csv_export_writes_the_filtered_list_with_formulas_neutralised(
    client, cast, plans, hostile_actions, today
):
    add(plans["police"], today)
    client.force_login(cast["qa"])
    response = client.get(
        reverse("reviews:action-export", args=["csv"]), {"agency": str(cast["hospital"].pk)}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="actions-{today:%Y-%m-%d}.csv"'
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:6] == ["Review", "Agency", "Plan", "Recommendation", "Action", "Owner"]
    assert [r[4] for r in table[1:]] == [safe_cell(t) for t in HOSTILE]
    assert [r[5] for r in table[1:]] == [safe_cell(t) for t in HOSTILE]
    assert {(r[1], r[2]) for r in table[1:]} == {(cast["hospital"].name, "Agency")}
    assert table[1][7] == today.isoformat() and table[1][9] == "Amber"


@pytest.mark.django_db
def test_the_xlsx_export_writes_text_never_formulas(client, cast, plans, hostile_actions, today):
    client.force_login(cast["qa"])
    response = client.get(reverse("reviews:action-export", args=["xlsx"]))
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Actions"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][4] == "Action"
    assert [r[4] for r in values[1:]] == [safe_cell(t) for t in HOSTILE]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[1][7] == datetime.datetime.combine(today, datetime.time())
    # The header stays in view and the columns are wide enough to read.
    assert sheet.freeze_panes == "A2"
    assert (sheet.column_dimensions["A"].width, sheet.column_dimensions["E"].width) == (14, 60)


@pytest.mark.django_db
def test_an_lscb_action_owned_by_an_agency_is_that_agencys_everywhere(client, cast, plans, today):
    item = add(plans["lscb"], today)
    ActionItem.objects.filter(pk=item.pk).update(owner_agency=cast["hospital"])
    add(plans["lscb"], today)
    client.force_login(cast["qa"])
    hospital = {"agency": str(cast["hospital"].pk)}
    page = parse(client.get(reverse("reviews:action-list"), hospital).content)
    assert [row.all("td")[2].text() for row in page.one("tbody").all("tr")] == [
        f"{cast['hospital'].name} on the LSCB's plan"
    ]
    own = client.get(reverse("reviews:action-list"), {"agency": "lscb"}).context["listing"].rows
    assert [row.pk for row in own] != [item.pk] and len(own) == 1
    text = b"".join(
        client.get(reverse("reviews:action-export", args=["csv"]), hospital).streaming_content
    ).decode("utf-8-sig")
    assert [row[1:3] for row in csv.reader(io.StringIO(text))][1:] == [[cast["hospital"].name, "LSCB"]]


@pytest.mark.django_db
def test_an_unknown_export_format_is_404(client, cast):
    client.force_login(cast["qa"])
    assert client.get(reverse("reviews:action-export", args=["pdf"])).status_code == 404


# Progress, evidence and monitoring notes


@pytest.mark.django_db
def test_the_owner_records_progress_and_it_is_in_the_history_and_the_activity_log(client, cast, plans, today):
    item = add(plans["hospital"], today)
    client.force_login(cast["agencymanager"])
    url = reverse("reviews:action-progress-add", args=[item.pk])
    assert errors(client.post(url, {"note": "   "})) == ["Enter the progress made"]
    assert errors(client.post(url, {"note": "x" * 5001})) == [
        "The progress must be 5,000 characters or fewer"
    ]
    assert item.progress_updates.count() == 0
    assert item.state == ActionItem.State.OPEN
    response = client.post(url, {"note": "Training booked for 3 March."})
    assert response["Location"] == reverse("reviews:action-detail", args=[item.pk])
    item.refresh_from_db()
    # Progress on an open action starts it.
    assert (item.state, item.last_update_at is not None) == (ActionItem.State.IN_PROGRESS, True)
    assert StateLog.objects.for_(item).get().transition == "start"
    page = client.get(reverse("reviews:action-detail", args=[item.pk])).content.decode()
    assert "Progress recorded" in page and "Training booked for 3 March." in page
    assert (
        AuditEvent.objects.filter(
            review=plans["review"],
            summary=f"Progress recorded on action {item.pk}",
            actor=cast["agencymanager"],
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_another_agency_may_not_record_progress_and_the_qa_sub_group_is_told_why(client, cast, plans, today):
    item = add(plans["hospital"], today)
    url = reverse("reviews:action-progress-add", args=[item.pk])
    client.force_login(cast["policemanager"])
    assert client.post(url, {"note": "Done."}).status_code == 404
    client.force_login(cast["qa"])
    response = client.post(url, {"note": "Done."})
    assert response.status_code == 403
    assert item.progress_updates.count() == 0
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, actor=cast["qa"]).count() == 1


@pytest.mark.django_db
def test_the_business_manager_owns_the_lscb_actions_and_the_panel_does_not(client, cast, plans, today):
    item = add(plans["lscb"], today)
    url = reverse("reviews:action-progress-add", args=[item.pk])
    client.force_login(cast["chair"])
    assert client.post(url, {"note": "Drafted."}).status_code == 403
    client.force_login(cast["manager"])
    assert client.post(url, {"note": "Drafted."}).status_code == 302
    assert list(item.progress_updates.values_list("note", flat=True)) == ["Drafted."]


@pytest.mark.django_db
def test_evidence_is_checked_like_a_report_and_every_upload_a_new_version(client, cast, plans, today):
    item = add(plans["hospital"], today, "in_progress")
    client.force_login(cast["author"])
    url = reverse("reviews:action-evidence-add", args=[item.pk])

    def upload(name, content, title="Case file audit"):
        return client.post(url, {"title": title, "file": _file(name, content)})

    assert errors(upload("audit.pdf", b"MZ\x90\x00" + b"\x00" * 100)) == [
        "The selected file must be a PDF or a Word document (DOCX): “audit.pdf” is another kind of file (EXE)"
    ]
    assert errors(upload("audit.pdf", b"<html><script>alert(1)</script></html>")) == [
        "The selected file must be a PDF or a Word document (DOCX): “audit.pdf” is neither"
    ]
    assert errors(upload("audit.pdf", text_pdf("Audit"), title="")) == ["Enter what the evidence is"]
    assert errors(upload("audit.pdf", text_pdf("Audit"), title="x" * 201)) == [
        "The title must be 200 characters or fewer"
    ]
    assert Document.objects.filter(action=item).count() == 0
    response = upload("audit.pdf", text_pdf("Audit of 20 files"))
    assert response.status_code == 302
    document = Document.objects.get(action=item)
    assert (document.kind, document.title, document.review) == (
        "action_evidence",
        "Case file audit",
        plans["review"],
    )
    assert errors(upload("again.pdf", text_pdf("Again"), title="case FILE audit")) == [
        "This action already has evidence called “case FILE audit”: upload a new version of it instead"
    ]
    versions_url = reverse("reviews:action-evidence-versions", args=[item.pk, document.pk])
    assert (
        client.post(versions_url, {"file": _file("audit-2.pdf", text_pdf("Audit, revised"))}).status_code
        == 302
    )
    assert list(document.versions.values_list("number", "original_filename")) == [
        (1, "audit.pdf"),
        (2, "audit-2.pdf"),
    ]
    # Anyone who sees the action downloads it, and the download is in the audit log.
    client.force_login(cast["qa"])
    latest = document.versions.get(number=2)
    download = client.get(reverse("reviews:document-download", args=[latest.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        actor=cast["qa"], summary__startswith="Downloaded Case file audit version 2"
    ).exists()
    client.force_login(cast["author2"])
    assert client.get(reverse("reviews:document-download", args=[latest.pk])).status_code == 404
    # The QA sub-group may not upload.
    client.force_login(cast["qa"])
    assert client.post(versions_url, {"file": _file("x.pdf", text_pdf("x"))}).status_code == 403
    assert document.versions.count() == 2


def _file(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


@pytest.mark.django_db
def test_a_verified_action_takes_no_more_evidence_or_progress(client, cast, plans, today):
    item = add(plans["hospital"], today, "verified")
    client.force_login(cast["agencymanager"])
    assert client.get(reverse("reviews:action-progress-add", args=[item.pk])).status_code == 403
    with pytest.raises(services.ActionNotAllowed, match="verified"):
        services.action_progress_record(actor=cast["agencymanager"], item=item, note="More.")
    page = client.get(reverse("reviews:action-detail", args=[item.pk])).content.decode()
    assert "Record progress" not in page and "Upload evidence" not in page


@pytest.mark.django_db
def test_the_qa_sub_group_notes_verifies_and_reopens_with_a_reason(client, cast, plans, today):
    item = add(plans["hospital"], today, "completed")
    client.force_login(cast["qa"])
    note_url = reverse("reviews:action-monitoring-note", args=[item.pk])
    assert errors(client.post(note_url, {"note": ""})) == ["Enter the monitoring note"]
    assert client.post(note_url, {"note": "Evidence seen at the March meeting."}).status_code == 302
    reopen = reverse("reviews:action-move", args=[item.pk, "reopen"])
    assert errors(client.post(reopen, {"note": ""})) == ["Say why the action is reopened"]
    assert client.post(reopen, {"note": "The audit covered one team only."}).status_code == 302
    item.refresh_from_db()
    assert (item.state, item.completed_on) == ("in_progress", None)
    services.action_item_move(
        actor=cast["agencymanager"], item=item, move="complete", evidence="Audit of all teams."
    )
    assert client.post(reverse("reviews:action-move", args=[item.pk, "verify"])).status_code == 302
    item.refresh_from_db()
    assert item.state == "verified"
    history = [
        row.what for row in client.get(reverse("reviews:action-detail", args=[item.pk])).context["history"]
    ]
    assert history == [
        "Completed → Verified by the QA sub-group",
        "In progress → Completed",
        "Completed → In progress",
        "Monitoring note",
    ]
    # Only the QA sub-group verifies; the owner cannot.
    client.force_login(cast["agencymanager"])
    assert client.post(note_url, {"note": "Mine."}).status_code == 403


@pytest.mark.django_db
def test_the_action_page_shows_when_the_last_reminder_was_sent(client, cast, plans, today):
    item = add(plans["hospital"], today + 7 * DAY)
    services.reminders_queue(on=today)
    message = OutboxMessage.objects.get(action=item)
    services.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    client.force_login(cast["qa"])
    page = client.get(reverse("reviews:action-detail", args=[item.pk])).content.decode()
    assert f"Sent {timezone.localtime(message.sent_at):%-d %B %Y} to {', '.join(message.to)}" in page
    listed = rows(client.get(reverse("reviews:action-list")))
    assert [i.last_reminder_at for i in listed] == [message.sent_at]
    assert message.body_text.count(reverse("reviews:action-detail", args=[item.pk])) == 1


@pytest.mark.django_db
def test_an_agencys_senior_manager_sees_their_actions_due_on_the_home_page(client, cast, plans, today):
    mine = add(plans["hospital"], today + 3 * DAY, description="Audit the hospital's referrals.")
    add(plans["police"], today + 3 * DAY, description="Brief the control room.")
    add(plans["hospital"], today + 90 * DAY, description="Review the audit in a year.")
    client.force_login(cast["agencymanager"])
    home = client.get(reverse("home"))
    assert [item.pk for item in home.context["actions_due"].rows] == [mine.pk]
    page = home.content.decode()
    assert "Audit the hospital" in page and "Brief the control room" not in page
    assert client.get(home.context["actions_due_url"]).status_code == 200


@pytest.mark.django_db
def test_an_imrs_draft_actions_are_its_agencys_and_the_panels_until_it_is_submitted(
    client, cast, plans, today
):
    draft = add(plans["hospital"], today - DAY, description="A draft action of the hospital's IMR.")
    IMR.objects.filter(participation__agency=cast["hospital"]).update(state="in_progress", submitted_at=None)
    for role, sees in [
        ("qa", False),
        ("board", False),
        ("chair", True),
        ("manager", True),
        ("agencymanager", True),
    ]:
        client.force_login(cast[role])
        listed = [item.pk for item in rows(client.get(reverse("reviews:action-list")))]
        exported = b"".join(
            client.get(reverse("reviews:action-export", args=["csv"])).streaming_content
        ).decode()
        detail = client.get(reverse("reviews:action-detail", args=[draft.pk])).status_code
        assert (listed == [draft.pk], "A draft action" in exported, detail) == (
            sees,
            sees,
            200 if sees else 404,
        ), role
    client.force_login(cast["qa"])
    progress = client.get(reverse("reviews:action-progress", args=[plans["review"].pk])).content.decode()
    assert "A draft action" not in progress


@pytest.mark.django_db
def test_real_names_are_refused_in_progress_evidence_and_notes(client, cast, plans, today):
    item = add(plans["hospital"], today, "in_progress")
    staff = plans["review"].involved_staff.current().first()
    client.force_login(cast["agencymanager"])
    refused = f"Use the pseudonym “{staff.pseudonym}”, not a real name"
    response = client.post(
        reverse("reviews:action-progress-add", args=[item.pk]),
        {"note": f"{staff.real_name.upper()} was trained."},
    )
    assert errors(response) == [refused]
    response = client.post(
        reverse("reviews:action-evidence-add", args=[item.pk]),
        {"title": f"Training record for {staff.real_name}", "file": _file("t.pdf", text_pdf("Record"))},
    )
    assert errors(response) == [refused]
    response = client.post(
        reverse("reviews:action-move", args=[item.pk, "complete"]),
        {"evidence": f"{staff.real_name} attended."},
    )
    assert errors(response) == [refused]
    client.force_login(cast["qa"])
    response = client.post(
        reverse("reviews:action-monitoring-note", args=[item.pk]), {"note": f"Ask {staff.real_name}."}
    )
    assert errors(response) == [refused]
    item.refresh_from_db()
    assert (item.state, item.progress_updates.count(), item.monitoring_notes.count()) == ("in_progress", 0, 0)
    assert not Document.objects.filter(action=item).exists()


@pytest.mark.django_db
def test_an_evidence_title_is_what_a_reader_sees(client, cast, plans, today):
    item = add(plans["hospital"], today, "in_progress")
    client.force_login(cast["agencymanager"])
    url = reverse("reviews:action-evidence-add", args=[item.pk])
    assert errors(client.post(url, {"title": "\u200b\u202e", "file": _file("a.pdf", text_pdf("A"))})) == [
        "Enter what the evidence is"
    ]
    assert (
        client.post(url, {"title": "Audit\u202e fdp.exe", "file": _file("a.pdf", text_pdf("A"))}).status_code
        == 302
    )
    assert Document.objects.get(action=item).title == "Audit fdp.exe"
    same = client.post(url, {"title": "Au\u200bdit fdp.exe", "file": _file("b.pdf", text_pdf("B"))})
    assert errors(same) == [
        "This action already has evidence called “Audit fdp.exe”: upload a new version of it instead"
    ]


@pytest.mark.django_db
def test_a_second_click_on_a_move_already_made_says_so_without_a_denied_row(client, cast, plans, today):
    item = add(plans["hospital"], today, "completed")
    client.force_login(cast["qa"])
    url = reverse("reviews:action-move", args=[item.pk, "verify"])
    assert client.post(url).status_code == 302
    again = client.post(url, follow=True)
    assert again.status_code == 200
    assert "Nothing was changed: the action is now “Verified by the QA sub-group”." in again.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DENIED).exists()
    # A move that is not theirs at all is still 404, with its row.
    client.force_login(cast["board"])
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DENIED, actor=cast["board"]).count() == 1


@pytest.mark.django_db
def test_the_business_manager_sees_the_lscbs_actions_due_on_the_home_page(client, cast, plans, today):
    lscb = add(plans["lscb"], today - DAY, description="Publish the protocol.")
    add(plans["hospital"], today - DAY, description="Train the ward staff.")
    client.force_login(cast["manager"])
    home = client.get(reverse("home"))
    assert [item.pk for item in home.context["actions_due"].rows] == [lscb.pk]
    listed = client.get(home.context["actions_due_url"])
    assert [item.pk for item in rows(listed)] == [lscb.pk]


@pytest.mark.django_db
def test_a_reopened_action_completed_again_keeps_both_statements_in_its_history(client, cast, plans, today):
    item = add(plans["hospital"], today, "in_progress")
    manager, qa = cast["agencymanager"], cast["qa"]
    services.action_item_move(actor=manager, item=item, move="complete", evidence="400 cards printed.")
    services.action_item_move(actor=qa, item=item, move="reopen", note="Not yet in the packs.")
    client.force_login(manager)
    page = client.get(reverse("reviews:action-detail", args=[item.pk])).content.decode()
    assert "Evidence that it is complete" not in page  # reopened: the statement no longer stands
    services.action_item_move(
        actor=manager, item=item, move="complete", evidence="Cards in every pack since May."
    )
    history = client.get(reverse("reviews:action-detail", args=[item.pk])).context["history"]
    assert [(row.what, row.note) for row in history if row.what == "In progress → Completed"] == [
        ("In progress → Completed", "Cards in every pack since May."),
        ("In progress → Completed", "400 cards printed."),
    ]


@pytest.mark.django_db
def test_last_update_is_the_owners_and_the_export_carries_the_latest_notes(client, cast, plans, today):
    item = add(plans["hospital"], today, "in_progress")
    services.action_progress_record(actor=cast["agencymanager"], item=item, note="Half the staff trained.")
    item.refresh_from_db()
    owners = item.last_update_at
    services.monitoring_note_add(actor=cast["qa"], item=item, note="Ask for the attendance list.")
    item.refresh_from_db()
    assert item.last_update_at == owners
    client.force_login(cast["qa"])
    text = b"".join(client.get(reverse("reviews:action-export", args=["csv"])).streaming_content).decode(
        "utf-8-sig"
    )
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    assert header[-4:] == [
        "Last update from its owner",
        "Latest progress",
        "Latest monitoring note",
        "Last reminder sent",
    ]
    assert table[1][-3:-1] == ["Half the staff trained.", "Ask for the attendance list."]


@pytest.mark.django_db
def test_agency_staff_have_actions_in_their_menu(client, cast, plans):
    for role, shown in [("agencymanager", True), ("author", True), ("qa", True), ("referrer", False)]:
        client.force_login(cast[role])
        page = client.get(reverse("home")).content.decode()
        assert (f'href="{reverse("reviews:action-list")}"' in page) is shown, role


@pytest.mark.django_db
def test_the_owners_are_e_mailed_when_the_qa_sub_group_reopens_or_verifies(
    client, cast, plans, today, mailoutbox, django_capture_on_commit_callbacks
):
    item = add(plans["hospital"], today, "completed")
    client.force_login(cast["qa"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reviews:action-move", args=[item.pk, "reopen"]), {"note": "The audit was of one ward."}
        )
    owners = sorted({cast["agencymanager"].email, cast["author"].email})
    reference = plans["review"].reference
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (owners, f"{reference}: the QA sub-group has reopened an action")
    ]
    body = mailoutbox[0].body
    assert reverse("reviews:action-detail", args=[item.pk]) in body and "one ward" not in body
    services.action_item_move(
        actor=cast["agencymanager"], item=item, move="complete", evidence="Every ward audited."
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:action-move", args=[item.pk, "verify"]))
    assert mailoutbox[-1].subject == f"{reference}: the QA sub-group has verified an action"
    assert len(mailoutbox) == 2
    lscb = add(plans["lscb"], today, "completed")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reviews:action-move", args=[lscb.pk, "verify"]))
    assert mailoutbox[-1].to == [cast["manager"].email]


@pytest.mark.django_db
def test_an_action_completed_after_its_due_date_says_done_late(client, cast, plans, today):
    late = add(plans["hospital"], today - 10 * DAY, "completed")
    ActionItem.objects.filter(pk=late.pk).update(completed_on=today)
    add(plans["hospital"], today - 10 * DAY, "verified")  # on time
    client.force_login(cast["qa"])
    page = client.get(reverse("reviews:action-list"), {"colour": "done"}).content.decode()
    assert page.count(">Done late</strong>") == 1 and page.count(">Done</strong>") == 1
    text = b"".join(client.get(reverse("reviews:action-export", args=["csv"])).streaming_content).decode(
        "utf-8-sig"
    )
    table = list(csv.reader(io.StringIO(text)))[1:]
    assert sorted(row[9] for row in table) == ["Done", "Done late"]


@pytest.mark.django_db
def test_the_qa_sub_group_tags_the_recommendation_from_the_action(client, cast, plans, today):
    imr = plans["review"].participations.get(agency=cast["hospital"]).imr
    recommendation = Recommendation.objects.create(review=plans["review"], imr=imr, number=9, text="Share.")
    item = add(plans["hospital"], today)
    ActionItem.objects.filter(pk=item.pk).update(recommendation=recommendation)
    client.force_login(cast["qa"])
    page = client.get(reverse("reviews:action-detail", args=[item.pk])).content.decode()
    assert f'href="{reverse("reviews:recommendation-themes", args=[recommendation.pk])}"' in page
    client.force_login(cast["agencymanager"])
    page = client.get(reverse("reviews:action-detail", args=[item.pk])).content.decode()
    assert reverse("reviews:recommendation-themes", args=[recommendation.pk]) not in page


@pytest.mark.django_db
def test_the_qa_sub_group_agrees_a_new_due_date_with_its_reason(client, cast, plans, today):
    item = add(plans["hospital"], today - 5 * DAY, "in_progress")
    url = reverse("reviews:action-due-date", args=[item.pk])
    client.force_login(cast["qa"])

    def post(day, reason="Agreed at the March meeting: the trainer was ill."):
        return client.post(
            url, {"due_on_day": day.day, "due_on_month": day.month, "due_on_year": day.year, "reason": reason}
        )

    assert errors(post(today + 30 * DAY, reason="")) == ["Say why the due date changes"]
    assert errors(post(today - DAY)) == [f"New due date must be on or after today, {today:%-d %B %Y}"]
    soon = add(plans["hospital"], today + 10 * DAY, "in_progress")
    same = client.post(
        reverse("reviews:action-due-date", args=[soon.pk]),
        {
            "due_on_day": (today + 10 * DAY).day,
            "due_on_month": (today + 10 * DAY).month,
            "due_on_year": (today + 10 * DAY).year,
            "reason": "No change.",
        },
    )
    assert errors(same) == [f"The action is already due on {today + 10 * DAY:%-d %B %Y}"]
    item.refresh_from_db()
    assert item.due_on == today - 5 * DAY and item.monitoring_notes.count() == 0
    new = today + 30 * DAY
    assert post(new)["Location"] == reverse("reviews:action-detail", args=[item.pk])
    item.refresh_from_db()
    assert item.due_on == new
    assert list(item.monitoring_notes.values_list("note", flat=True)) == [
        f"Due date moved from {today - 5 * DAY:%-d %B %Y} to {new:%-d %B %Y}: "
        "Agreed at the March meeting: the trainer was ill."
    ]
    listed = client.get(reverse("reviews:action-list"), {"colour": "green"})
    assert [i.pk for i in rows(listed)] == [item.pk]  # 30 days ahead: no longer red
    # The owner may not move the date; a done action's date no longer moves.
    client.force_login(cast["agencymanager"])
    assert post(today + 60 * DAY).status_code == 403
    done = add(plans["hospital"], today, "completed")
    client.force_login(cast["qa"])
    assert client.get(reverse("reviews:action-due-date", args=[done.pk])).status_code == 403
