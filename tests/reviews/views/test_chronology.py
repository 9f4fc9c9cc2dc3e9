"""The agency's chronology in the browser: add, change and delete contacts while the IMR is editable."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import AuditEvent, ChronologyEntry, ReviewState
from tests.reviews.views.test_pages import errors

TODAY = timezone.localdate


def started_imr(walk):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imr = review.participations.get(agency=walk.cast["hospital"]).imr
    return services.imr_move(actor=walk.cast["author"], imr=imr, move="start")


def contact(**changes):
    return {
        "date": "27/03/2025",
        "time": "14:30",
        "contact_type": "home visit",
        "with_whom": "mother",
        "practitioner": "Health Visitor 1",
        "summary": "Routine visit; a bruise seen on the child's arm.",
        "outcome": "",
        "source": "",
        "comment": "",
        "key_practice_episode": "no",
    } | changes


@pytest.mark.django_db
def test_the_author_adds_changes_and_deletes_a_contact(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    add = reverse("reviews:chronology-entry-add", args=[imr.pk])
    response = client.post(add, contact(date="03/2025", time="", key_practice_episode="yes"))
    assert response.status_code == 302 and response.url == reverse("reviews:chronology", args=[imr.pk])
    entry = ChronologyEntry.objects.get(imr=imr)
    assert (entry.date, entry.date_is_approximate, entry.time, entry.key_practice_episode) == (
        datetime.date(2025, 3, 1),
        True,
        None,
        True,
    )
    page = client.get(reverse("reviews:chronology", args=[imr.pk])).content.decode()
    assert "March 2025" in page and "month only" in page and "Key practice episode" in page

    change = reverse("reviews:chronology-entry-change", args=[imr.pk, entry.pk])
    form = client.get(change).context["form"]
    assert form.initial["date"] == "03/2025" and form.initial["key_practice_episode"] == "yes"
    assert client.post(change, contact(date="2025-03-27")).status_code == 302
    entry.refresh_from_db()
    assert (entry.date, entry.date_is_approximate, entry.time) == (
        datetime.date(2025, 3, 27),
        False,
        datetime.time(14, 30),
    )

    delete = reverse("reviews:chronology-entry-delete", args=[imr.pk, entry.pk])
    assert client.get(delete).status_code == 200
    assert client.post(delete).status_code == 302
    assert not ChronologyEntry.objects.filter(imr=imr).exists()
    actions = list(
        AuditEvent.objects.filter(object_type="reviews.chronologyentry")
        .order_by("at")
        .values_list("action", flat=True)
    )
    assert actions == ["created", "changed", "deleted"]
    # The deleted entry's page is gone.
    assert client.get(change).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            dict.fromkeys(
                ("date", "contact_type", "with_whom", "practitioner", "summary", "key_practice_episode"), ""
            ),
            [
                "Enter the date of the contact",
                "Select the kind of contact",
                "Select who the contact was with",
                "Enter the practitioner's role and pseudonym",
                "Enter what happened",
                "Select whether this is a key practice episode",
            ],
        ),
        ({"date": "31/02/2025"}, ["31/02/2025 is not a date"]),
        ({"date": "03/27/2025"}, ["03/27/2025 is not a date"]),
        (
            {"date": "yesterday"},
            [
                "yesterday is not a date: write it as 27/03/2025 or 2025-03-27, or 03/2025 if only the month is known"
            ],
        ),
        ({"date": "13/2025"}, ["13/2025 is not a month"]),
        ({"time": "25:00"}, ["25:00 is not a time: write it as 14:30, on the 24-hour clock"]),
        (
            {"date": "03/2025", "time": "10:00"},
            ["Leave the time empty when only the month of the contact is known"],
        ),
        ({"date": "01/01/1900"}, ["Date of the contact must be on or after 1 January 1990"]),
        ({"contact_type": "séance"}, ["Select the kind of contact"]),
        (
            {"practitioner": "  sandra   BELL "},
            ["Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff"],
        ),
        # A real name is refused wherever it stands, in any column of text.
        (
            {"practitioner": "HV Sandra Bell (health visiting)"},
            ["Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff"],
        ),
        (
            {"summary": "Sandra\nBell phoned the mother.", "comment": "Why did SANDRA BELL not visit?"},
            [
                "Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff",
                "Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff",
            ],
        ),
        ({"summary": "x" * 20_001}, ["What happened must be 20,000 characters or fewer"]),
        ({"practitioner": "x" * 101}, ["The practitioner must be 100 characters or fewer"]),
    ],
)
def test_bad_contacts_are_refused_with_a_message_and_nothing_saved(client, walk, cast, changes, expected):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    response = client.post(reverse("reviews:chronology-entry-add", args=[imr.pk]), contact(**changes))
    assert response.status_code == 400
    assert errors(response) == expected
    assert not ChronologyEntry.objects.filter(imr=imr).exists()


@pytest.mark.django_db
def test_a_future_date_is_refused(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    tomorrow = TODAY() + datetime.timedelta(days=1)
    response = client.post(
        reverse("reviews:chronology-entry-add", args=[imr.pk]), contact(date=f"{tomorrow:%d/%m/%Y}")
    )
    assert response.status_code == 400
    assert len(errors(response)) == 1 and "today or in the past" in errors(response)[0]


@pytest.mark.django_db
def test_only_the_author_writes_and_only_until_submission(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    client.post(reverse("reviews:chronology-entry-add", args=[imr.pk]), contact())
    entry = ChronologyEntry.objects.get(imr=imr)
    # The panel reads the chronology but may not write it; another agency's author cannot see it.
    client.force_login(cast["chair"])
    assert client.get(reverse("reviews:chronology", args=[imr.pk])).status_code == 200
    assert client.get(reverse("reviews:chronology-entry-add", args=[imr.pk])).status_code == 403
    client.force_login(cast["author2"])
    assert client.get(reverse("reviews:chronology", args=[imr.pk])).status_code == 404
    assert client.post(reverse("reviews:chronology-entry-delete", args=[imr.pk, entry.pk])).status_code == 404
    # Submitted, the IMR is read-only for its author too.
    walk.complete_imr(imr)
    client.force_login(cast["author"])
    page = client.get(reverse("reviews:chronology", args=[imr.pk]))
    assert page.status_code == 200 and "Add a contact" not in page.content.decode()
    assert client.post(reverse("reviews:chronology-entry-delete", args=[imr.pk, entry.pk])).status_code == 403
    assert ChronologyEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 60])
def test_the_chronology_costs_the_same_queries_at_any_length_and_each_look_is_logged(
    client, walk, cast, count, django_assert_max_num_queries
):
    imr = started_imr(walk)
    ChronologyEntry.objects.bulk_create(
        ChronologyEntry(
            imr=imr,
            date=datetime.date(2025, 1, 1) + datetime.timedelta(days=i),
            contact_type="home visit",
            with_whom="mother",
            practitioner="Health Visitor 1",
            summary=f"Visit {i}",
        )
        for i in range(count)
    )
    client.force_login(cast["manager"])
    looks = AuditEvent.objects.filter(action="viewed").count()
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reviews:chronology", args=[imr.pk]), {"page": 2 if count > 50 else 1})
    listing = response.context["listing"]
    assert listing.count == count
    assert [e.summary for e in listing.rows][:2] == (
        ["Visit 50", "Visit 51"] if count > 50 else ["Visit 0", "Visit 1"]
    )
    assert AuditEvent.objects.filter(action="viewed").count() == looks + 1


@pytest.mark.django_db
def test_the_author_imports_a_spreadsheet_all_or_nothing(client, walk, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    imr = started_imr(walk)
    client.force_login(cast["author"])
    url = reverse("reviews:chronology-import", args=[imr.pk])
    page = client.get(url).content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert (
        '<input class="govuk-file-upload" id="id_file" name="file" type="file" accept=".csv,.xlsx,text/csv"'
        in page
    )
    header = "date,time,contact_type,with_whom,practitioner,summary,outcome,source,comment,key_practice_episode\r\n"

    def upload(text, name="chronology.csv"):
        return client.post(url, {"file": SimpleUploadedFile(name, text.encode("utf-8"))})

    response = client.post(url, {})
    assert response.status_code == 400 and errors(response) == ["Choose the CSV or XLSX file to upload"]
    response = upload(
        header
        + "31/02/2011,,home visit,mother,Health Visitor 1,Visit.,,,,no\r\n,,,,,,,,,\r\n27/03/2025,,visit,mother,,Visit.,,,,no\r\n"
    )
    assert response.status_code == 400
    assert errors(response) == [
        "Row 2, date: 31/02/2011 is not a date",
        "Row 4, contact_type: visit is not a kind of contact: use one of phone call, home visit, office or clinic "
        "appointment, correspondence, supervision discussion, meeting, strategy discussion, referral, assessment, other",
        "Row 4, practitioner: empty: it is required",
    ]
    assert not ChronologyEntry.objects.filter(imr=imr).exists()
    # Every problem at once, in the file's order: the review's rules too, on rows the file already
    # has problems with; a real name in any column.
    response = upload(
        header
        + "01/01/2099,,home visit,mother,Health Visitor 1,Visit.,,,,no\r\n"
        + "01/01/2099,,visit,mother,Health Visitor 1,Saw Sandra Bell.,,,,maybe\r\n"
    )
    assert errors(response) == [
        "Row 2, date: Date of the contact must be today or in the past",
        "Row 3, date: Date of the contact must be today or in the past",
        "Row 3, contact_type: visit is not a kind of contact: use one of phone call, home visit, office or clinic "
        "appointment, correspondence, supervision discussion, meeting, strategy discussion, referral, assessment, other",
        "Row 3, summary: Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff",
        "Row 3, key_practice_episode: maybe is not yes or no",
    ]
    good = header + "27/03/2025,14:30,home visit,mother,Health Visitor 1,Visit.,,,,no\r\n"
    response = upload(good)
    assert response.status_code == 302
    assert ChronologyEntry.objects.filter(imr=imr).count() == 1
    response = upload(good, name="again.csv")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "1 contact imported.",
        "0 contacts imported. 1 was already in the chronology and not added again.",
    ]
    assert ChronologyEntry.objects.filter(imr=imr).count() == 1


@pytest.mark.django_db
def test_the_templates_download_with_their_example_and_allowed_values(client, cast):
    import io

    from openpyxl import load_workbook

    from reviews.chronology_import import COLUMNS, read_upload

    client.force_login(cast["author"])
    response = client.get(reverse("reviews:chronology-template", args=["csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="chronology-template.csv"'
    text = response.content.decode("utf-8-sig").splitlines()
    assert text[0] == ",".join(COLUMNS) and text[1].startswith(
        "27/03/2025,14:30,home visit,mother,Health Visitor 1"
    )
    # Uploaded untouched, the example row is not a contact.
    assert [str(p) for p in read_upload("t.csv", response.content).problems] == [
        "The file has no contacts below its header row"
    ]
    response = client.get(reverse("reviews:chronology-template", args=["xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Chronology", "Allowed values"]
    sheet = workbook["Chronology"]
    assert [c.value for c in sheet[1]] == list(COLUMNS)
    assert [c.value for c in workbook["Allowed values"]["A"]][:3] == [
        "contact_type",
        "phone call",
        "home visit",
    ]
    validated = {str(v.sqref).split(":")[0] for v in sheet.data_validations.dataValidation}
    assert validated == {"C2", "D2", "J2"}
    assert client.get(reverse("reviews:chronology-template", args=["exe"])).status_code == 404


@pytest.mark.django_db
def test_pseudonyms_not_in_the_register_are_listed_for_the_business_manager(client, walk, cast):
    imr = started_imr(walk)
    client.force_login(cast["author"])
    for name in ("Health Visitor 1", "HEALTH VISITOR 1", "GP 3", "Midwife 2", "gp 3"):
        assert (
            client.post(
                reverse("reviews:chronology-entry-add", args=[imr.pk]), contact(practitioner=name)
            ).status_code
            == 302
        )
    review = imr.participation.review
    client.force_login(cast["manager"])
    response = client.get(reverse("reviews:review-detail", args=[review.pk]))
    # Once each, whatever the case it was typed in.
    assert response.context["unregistered_pseudonyms"] == ["GP 3", "Midwife 2"]
    assert (
        "not in the register: <strong>GP 3</strong>, <strong>Midwife 2</strong>" in response.content.decode()
    )
    # Only those who keep the register are told.
    client.force_login(cast["author"])
    assert (
        client.get(reverse("reviews:review-detail", args=[review.pk])).context["unregistered_pseudonyms"]
        == []
    )


@pytest.mark.django_db
def test_the_author_records_an_interview_only_after_the_terms_of_reference_were_shared(client, walk, cast):
    from reviews.models import Interview

    imr = started_imr(walk)
    staff = imr.participation.review.involved_staff.get(pseudonym="Health Visitor 1")
    client.force_login(cast["author"])
    url = reverse("reviews:interview-add", args=[imr.pk])
    today = TODAY()

    def post(staff_pk, held, shared):
        return client.post(
            url,
            {
                "staff": staff_pk,
                "held_on_day": held.day,
                "held_on_month": held.month,
                "held_on_year": held.year,
                "tor_shared_on_day": shared.day,
                "tor_shared_on_month": shared.month,
                "tor_shared_on_year": shared.year,
                "notes": "",
            },
        )

    page = client.get(url).content.decode()
    assert "Health Visitor 1 (" in page and "Sandra Bell" not in page
    response = client.post(url, {})
    assert response.status_code == 400 and errors(response)[0] == "Select who was interviewed"
    response = post(staff.pk, today, today + datetime.timedelta(days=1))
    assert response.status_code == 400
    assert any("the date of the interview" in message for message in errors(response))
    assert not Interview.objects.exists()
    ok = post(staff.pk, today, today)
    assert ok.status_code == 302, errors(ok)
    assert Interview.objects.get().staff == staff
    assert "Health Visitor 1" in client.get(reverse("reviews:imr-detail", args=[imr.pk])).content.decode()


@pytest.mark.django_db
def test_a_real_name_written_without_its_accents_is_refused_too(client, walk, cast):
    imr = started_imr(walk)
    staff = imr.participation.review.involved_staff.get(pseudonym="Health Visitor 1")
    staff.real_name = "Zoë Łukasiewicz"
    staff.save(update_fields=["real_name"])
    client.force_login(cast["author"])
    response = client.post(
        reverse("reviews:chronology-entry-add", args=[imr.pk]), contact(summary="zoe LUKASIEWICZ visited.")
    )
    assert response.status_code == 400
    assert errors(response) == [
        "Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff"
    ]
