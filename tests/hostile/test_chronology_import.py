"""The chronology importer, fed hostile files: every one imported whole or refused whole, in words.

Hypothesis writes CSV and XLSX files from the template's columns and adversarial cells (markup,
formulas, control characters, direction marks, very long text, dates at the edges, numbers,
booleans), in the encodings spreadsheets save (UTF-8 with and without a byte-order mark,
Windows-1252, UTF-16), with either separator; sometimes it garbles the header, cuts the file short
or sends bytes that are no spreadsheet at all. Whatever arrives:

- the reader (`read_upload`) returns rows or problems, and never raises;
- the service (`chronology_import`) adds exactly the rows it reports, or refuses with at least one
  problem in words and adds nothing;
- a UTF-8 CSV imported keeps each text cell as written, but for the white space around it;
- posted through the import page, the answer is the chronology (302) or the page with the problems
  (400), never an error page.
"""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviews import services
from reviews.chronology_import import COLUMNS, read_upload
from reviews.models import ChronologyEntry
from reviews.services import ActionNotAllowed
from tests.hostile.strategies import ANY_CHAR, NASTY, hostile_text, long_text
from tests.scr.test_access_table import build_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    from scr.celery import app

    app.conf.task_always_eager = True


def a_day_ago(days) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


# A cell as a person or a program may write it: text, and in an XLSX numbers, dates and booleans too.
TEXT_CELL = hostile_text(long=False) | long_text(19_000, 21_000)
DATE_CELL = (
    st.sampled_from(
        [
            "27/03/2025",
            "2025-03-27",
            "03/2025",
            "2025-03",
            "31/02/2026",
            "29/02/2024",
            "0001-01-01",
            "9999-12-31",
            "01/01/1989",
            "01/01/1990",
            "12/31/2025",
            "2025/03/27",
            "27-03-2025",
            "today",
            "",
            "1e9",
            "-1",
            "NaN",
        ]
    )
    | st.dates(datetime.date(1985, 1, 1), datetime.date(2030, 1, 1)).map(lambda d: d.strftime("%d/%m/%Y"))
    | st.text(ANY_CHAR, max_size=12)
)
TIME_CELL = st.sampled_from(
    ["", "14:30", "00:00", "23:59", "24:00", "12:60", "9:5", "14:30:59", "2pm", "-1:00"]
) | st.text(ANY_CHAR, max_size=6)
KIND_CELL = st.sampled_from(
    ["home visit", "HOME VISIT", "Home visit", "phone call", "", "visit", "=1+1"]
) | st.text(ANY_CHAR, max_size=10)
WHOM_CELL = st.sampled_from(["mother", "Mother", "child", "", "mum", "<b>mother</b>"]) | st.text(
    ANY_CHAR, max_size=10
)
YES_NO_CELL = st.sampled_from(["yes", "no", "", "Y", "TRUE", "0", "maybe", "=TRUE()"])
XLSX_ODD_CELL = st.one_of(
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(datetime.date(1900, 3, 1), datetime.date(9999, 12, 31)),
    st.datetimes(datetime.datetime(1900, 3, 1), datetime.datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(['=HYPERLINK("http://evil.example","x")', "=1/0", "=NOW()", "=A1"]),
)


@st.composite
def contact_row(draw, *, odd_cells=False):
    """A row of the template, each cell valid or hostile."""
    valid = {
        "date": a_day_ago(draw(st.integers(1, 3000))).strftime("%d/%m/%Y"),
        "time": "",
        "contact_type": "home visit",
        "with_whom": "mother",
        "practitioner": "Health Visitor 1",
        "summary": "Routine visit.",
        "outcome": "",
        "source": "",
        "comment": "",
        "key_practice_episode": "no",
    }
    hostile = {
        "date": DATE_CELL,
        "time": TIME_CELL,
        "contact_type": KIND_CELL,
        "with_whom": WHOM_CELL,
        "key_practice_episode": YES_NO_CELL,
    }
    row = []
    for name in COLUMNS:
        cell = valid[name] if draw(st.booleans()) else draw(hostile.get(name, TEXT_CELL))
        if odd_cells and draw(st.integers(0, 9)) == 0:
            cell = draw(XLSX_ODD_CELL)
        row.append(cell)
    return row


@st.composite
def header(draw):
    columns = list(COLUMNS)
    how = draw(
        st.sampled_from(
            ["template", "template", "template", "shouting", "shuffled", "missing", "extra", "nasty"]
        )
    )
    if how == "shouting":
        columns = [f"  {name.upper().replace('_', ' ')} " for name in columns]
    elif how == "shuffled":
        columns = draw(st.permutations(columns))
    elif how == "missing":
        del columns[draw(st.integers(0, len(columns) - 1))]
    elif how == "extra":
        columns.append(draw(st.sampled_from(NASTY[:10])))
    elif how == "nasty":
        columns[draw(st.integers(0, len(columns) - 1))] = draw(st.sampled_from(NASTY))
    return list(columns)


@st.composite
def csv_file(draw):
    """Return (filename, bytes, the rows as written, whether the bytes are the rows in UTF-8, whole)."""
    rows = draw(st.lists(contact_row(), max_size=6))
    head = draw(header())
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    writer.writerow(head)
    writer.writerows(rows)
    text = out.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]))
    content = text.encode(encoding, errors="replace")
    faithful = encoding in ("utf-8", "utf-8-sig") and delimiter == "," and head == list(COLUMNS)
    if draw(st.integers(0, 7)) == 0:
        content = content[: draw(st.integers(0, len(content)))]
        faithful = False
    name = draw(st.sampled_from(["chronology.csv", "x.xlsx", "../../etc/passwd", "<script>.csv", "a" * 300]))
    return name, content, rows, faithful


def _xlsx_cell(value):
    # openpyxl refuses to write the control characters XML cannot hold: an XLSX never carries them.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


@st.composite
def xlsx_file(draw):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(draw(header()))
    for row in draw(st.lists(contact_row(odd_cells=True), max_size=6)):
        sheet.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    content = out.getvalue()
    if draw(st.integers(0, 5)) == 0:
        content = content[: draw(st.integers(0, len(content)))]
    return "chronology.xlsx", content


NOT_SPREADSHEETS = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"",
            b"\xef\xbb\xbf",
            b"PK\x03\x04",
            b"PK\x03\x04" + b"\x00" * 100,
            b"%PDF-1.4\n",
            b"\x00\x00\x00",
            b"\xff\xfe",
            b"date\n" * 5,
            b'"unclosed,quote\n1,2',
            b"MZ\x90\x00",
        ]
    ),
).map(lambda content: ("upload.csv", content))


def import_file(world, filename, content):
    """Import as the hospital's IMR author; return (added, already) or the problems, and the rows added."""
    imr = world.objects["imr"]["own"]
    author = world.cast["author"]
    before = ChronologyEntry.objects.filter(imr=imr).count()
    try:
        result = services.chronology_import(actor=author, imr=imr, filename=filename, content=content)
    except ActionNotAllowed as refusal:
        result = refusal
    added = ChronologyEntry.objects.filter(imr=imr).count() - before
    return result, added


def assert_whole_or_nothing(result, added):
    if isinstance(result, ActionNotAllowed):
        assert added == 0, "a refused import saved rows"
        problems = [message for messages in result.by_field().values() for message in messages]
        assert problems and all(message.strip() for message in problems)
    else:
        assert result[0] == added


@pytest.mark.django_db
@given(upload=csv_file())
def test_a_csv_is_imported_whole_or_refused_whole(world, upload):
    filename, content, rows, faithful = upload
    assert read_upload(filename, content) is not None
    with transaction.atomic():
        result, added = import_file(world, filename, content)
        assert_whole_or_nothing(result, added)
        if faithful and not isinstance(result, ActionNotAllowed):
            imr = world.objects["imr"]["own"]
            for row in rows:
                cells = dict(zip(COLUMNS, row, strict=True))
                kept = {
                    name: cells[name].strip()
                    for name in ("practitioner", "summary", "outcome", "source", "comment")
                }
                assert ChronologyEntry.objects.filter(imr=imr, **kept).exists(), (
                    "a row was not kept as written"
                )
        transaction.set_rollback(True)


@pytest.mark.django_db
@given(upload=xlsx_file())
def test_an_xlsx_is_imported_whole_or_refused_whole(world, upload):
    with transaction.atomic():
        result, added = import_file(world, *upload)
        assert_whole_or_nothing(result, added)
        transaction.set_rollback(True)


@pytest.mark.django_db
@given(upload=NOT_SPREADSHEETS)
def test_a_file_that_is_no_spreadsheet_is_refused_in_words(world, upload):
    with transaction.atomic():
        result, added = import_file(world, *upload)
        assert_whole_or_nothing(result, added)
        transaction.set_rollback(True)


@pytest.mark.django_db
@given(upload=st.one_of(csv_file().map(lambda upload: upload[:2]), xlsx_file(), NOT_SPREADSHEETS))
def test_the_import_page_answers_every_file_without_an_error_page(world, upload):
    filename, content = upload
    imr = world.objects["imr"]["own"]
    with transaction.atomic():
        client = Client()
        client.force_login(world.cast["author"])
        before = ChronologyEntry.objects.filter(imr=imr).count()
        response = client.post(
            reverse("reviews:chronology-import", kwargs={"pk": imr.pk}),
            {"file": SimpleUploadedFile(filename, content)},
        )
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            assert ChronologyEntry.objects.filter(imr=imr).count() == before
            assert "govuk-error-summary" in response.content.decode()
        transaction.set_rollback(True)
