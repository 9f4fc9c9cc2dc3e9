"""Reading filled-in chronology templates: a table of files and what each must give."""

import datetime
import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from reviews import services
from reviews.chronology_import import read_upload
from reviews.models import ChronologyEntry, ReviewState
from reviews.services import ActionNotAllowed

HEADER = "date,time,contact_type,with_whom,practitioner,summary,outcome,source,comment,key_practice_episode"


def csv_file(*lines, newline="\n", bom=False):
    text = newline.join(lines) + newline
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def rows(upload):
    assert [str(p) for p in upload.problems] == []
    return [(number, fields) for number, fields in upload.rows]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        # A byte-order mark and Windows line endings, as Excel saves "CSV UTF-8".
        (
            csv_file(
                HEADER,
                "27/03/2025,14:30,home visit,mother,Health Visitor 1,Visit.,,,,no",
                newline="\r\n",
                bom=True,
            ),
            [
                (
                    2,
                    datetime.date(2025, 3, 27),
                    False,
                    datetime.time(14, 30),
                    "home visit",
                    "mother",
                    "Visit.",
                    False,
                )
            ],
        ),
        # European Excel: semicolons; ISO dates; a month alone; values and headers in any case.
        (
            csv_file(
                " Date ;TIME;Contact Type;With_Whom;practitioner;SUMMARY;outcome;source;comment;Key Practice Episode",
                "2025-03-27;;Home Visit;MOTHER;Health Visitor 1;Visit.;;;;Yes",
                "03/2025;;phone call;Professional;ED Nurse 1;Call.;;;;",
            ),
            [
                (2, datetime.date(2025, 3, 27), False, None, "home visit", "mother", "Visit.", True),
                (3, datetime.date(2025, 3, 1), True, None, "phone call", "professional", "Call.", False),
            ],
        ),
        # Quoted commas and line breaks in a cell, accented and non-Latin names, blank rows and
        # columns at the end.
        (
            csv_file(
                HEADER + ",,",
                '1/2/2024,,correspondence,father,Social Worker 2,"Letter to Zoë Ødegård, and 李明,\nabout the visit",,,,no,,',
                ",,,,,,,,,,,",
                ",,,,,,,,,,,",
            ),
            [
                (
                    2,
                    datetime.date(2024, 2, 1),
                    False,
                    None,
                    "correspondence",
                    "father",
                    "Letter to Zoë Ødegård, and 李明,\nabout the visit",
                    False,
                )
            ],
        ),
    ],
)
def test_real_exports_import(content, expected):
    got = [
        (
            n,
            f["date"],
            f["date_is_approximate"],
            f["time"],
            f["contact_type"],
            f["with_whom"],
            f["summary"],
            f["key_practice_episode"],
        )
        for n, f in rows(read_upload("chronology.csv", content))
    ]
    assert got == expected


def xlsx(*table):
    workbook = Workbook()
    sheet = workbook.active
    for row in table:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_excel_date_and_time_cells_import():
    content = xlsx(
        HEADER.split(","),
        [
            datetime.datetime(2025, 3, 27),
            datetime.time(9, 5),
            "Home visit",
            "child",
            "Health Visitor 1",
            "Visit.",
            None,
            None,
            None,
            True,
        ],
        [
            "04/2025",
            None,
            "meeting",
            "professional",
            "Teacher 1",
            "Meeting.",
            "Plan agreed",
            "Minutes",
            None,
            "no",
        ],
        [None] * 10,
    )
    got = rows(read_upload("chronology.xlsx", content))
    assert [
        (n, f["date"], f["time"], f["date_is_approximate"], f["key_practice_episode"]) for n, f in got
    ] == [
        (2, datetime.date(2025, 3, 27), datetime.time(9, 5), False, True),
        (3, datetime.date(2025, 4, 1), None, True, False),
    ]


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        (b"", ["The file is empty"]),
        (
            csv_file(
                HEADER,
                "27/03/2025,,home visit,mother,Health Visitor 1,Visit.,,,,no",
                "31/02/2011,25:00,seance,neighbour,,Visit.,,,,perhaps",
            ),
            [
                "Row 3, practitioner: empty: it is required",
                "Row 3, date: 31/02/2011 is not a date",
                "Row 3, time: 25:00 is not a time: write it as 14:30, on the 24-hour clock",
                "Row 3, contact_type: seance is not a kind of contact: use one of phone call, home visit, "
                "office or clinic appointment, correspondence, supervision discussion, meeting, strategy discussion, "
                "referral, assessment, other",
                "Row 3, with_whom: neighbour is not whom the contact was with: use one of child, mother, father, "
                "carer, sibling, partner, other family, professional, other",
                "Row 3, key_practice_episode: perhaps is not yes or no",
            ],
        ),
        (
            csv_file("date,contact_type,with_whom,summary,colour", "27/03/2025,home visit,mother,Visit.,red"),
            [
                "Row 1: “colour” is not a column of the template (date, time, contact_type, with_whom, practitioner, "
                "summary, outcome, source, comment, key_practice_episode)",
                "Row 1: The column “practitioner” is missing: use the template",
            ],
        ),
        (csv_file(HEADER), ["The file has no contacts below its header row"]),
        (
            b"\x00\x01\x02MZ\x90\x00binary",
            ["The file is not a CSV or XLSX spreadsheet: save it from your spreadsheet as CSV or XLSX"],
        ),
        (b"PK\x03\x04 not really a zip", ["The file could not be read as an XLSX spreadsheet"]),
    ],
)
def test_bad_files_say_every_problem_with_its_row_and_column(content, problems):
    assert sorted(str(p) for p in read_upload("upload.csv", content).problems) == sorted(problems)


def test_an_oversize_file_and_a_zip_bomb_are_refused(settings):
    settings.CHRONOLOGY_UPLOAD_MAX_BYTES = 1024
    assert [str(p) for p in read_upload("big.csv", b"x" * 2048).problems] == [
        "The file must be smaller than 1 KB"
    ]
    settings.CHRONOLOGY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (120 * 1024 * 1024))
    content = bomb.getvalue()
    assert len(content) < 1024 * 1024
    assert [str(p) for p in read_upload("bomb.xlsx", content).problems] == [
        "The spreadsheet expands to more than 100 MB: split it"
    ]


@pytest.mark.django_db
def test_an_upload_is_all_or_nothing_and_the_same_rows_again_add_nothing(walk, cast):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imr = services.imr_move(
        actor=cast["author"], imr=review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    good = csv_file(
        HEADER,
        "27/03/2025,14:30,home visit,mother,Health Visitor 1,Visit.,,,,no",
        "28/03/2025,,phone call,professional,Health Visitor 1,Call.,,,,no",
    )
    bad = csv_file(
        HEADER,
        "29/03/2025,,home visit,mother,Health Visitor 1,Another visit.,,,,no",
        "30/03/2025,,home visit,mother,Sandra Bell,Named.,,,,no",
    )
    with pytest.raises(ActionNotAllowed) as refused:
        services.chronology_import(actor=cast["author"], imr=imr, filename="bad.csv", content=bad)
    assert refused.value.messages == [
        "Row 3, practitioner: Use the pseudonym “Health Visitor 1”, not a real name: the chronology never names staff"
    ]
    assert ChronologyEntry.objects.filter(imr=imr).count() == 0
    assert services.chronology_import(actor=cast["author"], imr=imr, filename="good.csv", content=good) == (
        2,
        0,
    )
    # Again, with a row in other case and spacing: recognised, nothing added.
    again = good.replace(b"Visit.", b"  visit. ")
    assert services.chronology_import(actor=cast["author"], imr=imr, filename="good.csv", content=again) == (
        0,
        2,
    )
    assert ChronologyEntry.objects.filter(imr=imr).count() == 2


def _with_sheet_xml(content: bytes, change) -> bytes:
    """The XLSX `content` with its first sheet's XML passed through `change`."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(item, data)
    return out.getvalue()


def test_a_sheet_declaring_every_column_is_read_only_as_wide_as_the_template_allows():
    from reviews.chronology_import import MAX_COLUMNS, _read_xlsx

    content = _with_sheet_xml(
        xlsx(HEADER.split(","), ["27/03/2025", "", "home visit", "mother", "Health Visitor 1", "Visit."]),
        lambda xml: re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD20001" />', xml).replace(
            b"</sheetData>",
            b'<row r="20001"><c r="XFD20001" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
        ),
    )
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b'<dimension ref="A1:XFD20001" />' in archive.read("xl/worksheets/sheet1.xml")
    table = _read_xlsx(content)
    assert max(len(row) for row in table) <= MAX_COLUMNS + 1
    assert [number for number, _ in rows(read_upload("wide.xlsx", content))] == [2]


@pytest.mark.parametrize(
    ("content", "problems"),
    [
        (
            csv_file(",".join(["x"] * 1000)),
            ["Row 1: The header row has more than 50 columns: use the template"],
        ),
        (
            csv_file(HEADER, '27/03/2025,,home visit,mother,Health Visitor 1,"' + "x" * 200_000 + '",,,,no'),
            [
                "The file could not be read as CSV: a cell is longer than 131,072 characters, "
                "or a quoted cell is not closed"
            ],
        ),
    ],
    ids=["a-million-columns", "a-huge-cell"],
)
def test_hostile_csv_files_are_refused_with_one_message(content, problems):
    assert [str(p) for p in read_upload("hostile.csv", content).problems] == problems


def test_a_damaged_xlsx_is_refused_with_a_message():
    content = xlsx(
        HEADER.split(","), ["27/03/2025", "", "home visit", "mother", "Health Visitor 1", "Visit."]
    )
    # A cell pointing at a shared string the workbook does not have.
    damaged = _with_sheet_xml(
        content,
        lambda xml: xml.replace(
            b'<c r="A2" t="inlineStr"><is><t>27/03/2025</t></is></c>', b'<c r="A2" t="s"><v>999</v></c>'
        ),
    )
    assert damaged != content
    assert [str(p) for p in read_upload("damaged.xlsx", damaged).problems] == [
        "The file could not be read as an XLSX spreadsheet"
    ]


@pytest.mark.django_db
def test_a_file_wrong_on_every_row_lists_its_first_200_problems(walk, cast):
    review = walk.at(ReviewState.IMRS_IN_PROGRESS)
    imr = services.imr_move(
        actor=cast["author"], imr=review.participations.get(agency=cast["hospital"]).imr, move="start"
    )
    content = csv_file(HEADER, *["31/02/2011,,home visit,mother,Health Visitor 1,Visit.,,,,no"] * 300)
    with pytest.raises(ActionNotAllowed) as refused:
        services.chronology_import(actor=cast["author"], imr=imr, filename="bad.csv", content=content)
    assert len(refused.value.reasons) == 201
    assert refused.value.reasons[0] == "Row 2, date: 31/02/2011 is not a date"
    assert refused.value.reasons[-1] == "And 100 more problems: mend these first"
