"""Reading a filled-in chronology template (CSV or XLSX) into rows, with every error in words.

No HTTP here: `read_upload` takes the file's name and bytes and returns the rows or the errors,
so the tests are a table of files and what each must give. The service
`chronology_import` (reviews/services/chronology.py) applies the review's own rules and saves
all the rows or none.

Rows are counted as the spreadsheet shows them: the header is row 1, the first contact row 2.
"""

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass, field

from django.conf import settings

from reviews.chronology_values import read_choice, read_date, read_time, read_yes_no
from reviews.models import ChronologyEntry, ContactType, WithWhom

COLUMNS = ChronologyEntry.TEMPLATE_COLUMNS
REQUIRED = ("date", "contact_type", "with_whom", "practitioner", "summary")
MAX_LENGTHS = {"practitioner": 100, "source": 300, "summary": 20_000, "outcome": 20_000, "comment": 20_000}
# An XLSX is a zip: what it expands to is bounded as well as what was uploaded (a zip bomb).
MAX_EXPANDED = 100 * 1024 * 1024
# Columns read from a row: the template has ten; a sheet may declare thousands.
MAX_COLUMNS = 50
MAX_ROWS = 20_000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"Row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Upload:
    """What a file gave: the contacts (with the row each came from), or the problems."""

    rows: list[tuple[int, dict]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Rows with problems, with what of them could be read: the review's own rules are checked on
    # that too, so that every problem of a file is named at once.
    partial: list[tuple[int, dict]] = field(default_factory=list)

    def sorted_problems(self, more=()) -> list[Problem]:
        """Every problem, in the order of the file: by row, then by column."""
        order = {name: index for index, name in enumerate(COLUMNS)}
        return sorted(
            [*self.problems, *more],
            key=lambda p: (p.row or 0, order.get(p.column, -1) if p.column else -1),
        )


def read_upload(filename: str, content: bytes) -> Upload:
    limit = settings.CHRONOLOGY_UPLOAD_MAX_BYTES
    if not content:
        return Upload(problems=[Problem(None, None, "The file is empty")])
    if len(content) > limit:
        return Upload(problems=[Problem(None, None, f"The file must be smaller than {_size(limit)}")])
    try:
        table = _read_xlsx(content) if content.startswith(XLSX_MAGIC) else _read_csv(content)
    except _Unreadable as unreadable:
        return Upload(problems=[Problem(None, None, str(unreadable))])
    return _parse(table)


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


class _Unreadable(Exception):
    pass


def _read_csv(content: bytes) -> list[list]:
    # UTF-8 (with or without Excel's byte-order mark), else Windows' own encoding, as Excel saves.
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise _Unreadable(
            "The file is not a CSV or XLSX spreadsheet: save it from your spreadsheet as CSV or XLSX"
        )
    first_line = text.split("\n", 1)[0]
    # European Excel separates with semicolons; the header row tells which.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row[: MAX_COLUMNS + 1])
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error:
        raise _Unreadable(
            f"The file could not be read as CSV: a cell is longer than {csv.field_size_limit():,} characters, "
            "or a quoted cell is not closed"
        ) from None
    return rows


def _read_xlsx(content: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise _Unreadable("The file could not be read as an XLSX spreadsheet") from None
    if expanded > MAX_EXPANDED:
        raise _Unreadable(
            f"The spreadsheet expands to more than {MAX_EXPANDED // (1024 * 1024)} MB: split it"
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise _Unreadable("The file could not be read as an XLSX spreadsheet") from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        # At most one column past the template's allowance: a sheet may declare 16,384 columns.
        for row in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            rows.append(list(row))
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:  # a damaged sheet (a missing shared string, a bad date cell) fails mid-way
        raise _Unreadable("The file could not be read as an XLSX spreadsheet") from None
    finally:
        workbook.close()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_name(value) -> str:
    return "_".join(str(value or "").strip().lower().replace("-", " ").split())


def _parse(table: list[list]) -> Upload:
    upload = Upload()
    # Blank rows at the end (and blank rows anywhere) are how spreadsheets are: skipped.
    while table and all(_blank(cell) for cell in table[-1]):
        table.pop()
    if not table:
        upload.problems.append(Problem(None, None, "The file has no header row: use the template"))
        return upload
    while table[0] and _blank(table[0][-1]):
        table[0].pop()
    if len(table[0]) > MAX_COLUMNS:
        upload.problems.append(
            Problem(1, None, f"The header row has more than {MAX_COLUMNS} columns: use the template")
        )
        return upload
    header = [_column_name(cell) for cell in table[0]]
    positions = {}
    for index, name in enumerate(header):
        if not name:
            continue
        if name not in COLUMNS:
            upload.problems.append(
                Problem(
                    1, None, f"“{table[0][index]}” is not a column of the template ({', '.join(COLUMNS)})"
                )
            )
        elif name in positions:
            upload.problems.append(Problem(1, None, f"The column “{name}” appears twice"))
        else:
            positions[name] = index
    for name in REQUIRED:
        if name not in positions:
            upload.problems.append(Problem(1, None, f"The column “{name}” is missing: use the template"))
    if upload.problems:
        return upload
    if len(table) - 1 > MAX_ROWS:
        upload.problems.append(Problem(None, None, f"The file has more than {MAX_ROWS:,} rows: split it"))
        return upload
    for number, cells in enumerate(table[1:], start=2):
        if all(_blank(cell) for cell in cells):
            continue
        values = {name: (cells[index] if index < len(cells) else None) for name, index in positions.items()}
        fields, problems = _row(number, values)
        upload.problems.extend(problems)
        if problems:
            upload.partial.append((number, fields))
        elif not is_example(fields):
            upload.rows.append((number, fields))
    if not upload.rows and not upload.problems:
        upload.problems.append(Problem(None, None, "The file has no contacts below its header row"))
    return upload


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _row(number: int, values: dict) -> tuple[dict, list[Problem]]:
    fields, problems = {}, []

    def problem(column, message):
        problems.append(Problem(number, column, message))

    for name in ("date", "contact_type", "with_whom"):
        if _blank(values.get(name)):
            problem(name, "empty: it is required")
    date = values.get("date")
    if _blank(date):
        pass
    elif isinstance(date, datetime.datetime):
        fields["date"], fields["date_is_approximate"] = date.date(), False
    elif isinstance(date, datetime.date):
        fields["date"], fields["date_is_approximate"] = date, False
    else:
        try:
            fields["date"], fields["date_is_approximate"] = read_date(_text(date))
        except ValueError as wrong:
            problem("date", str(wrong))
    time = values.get("time")
    if isinstance(time, datetime.datetime):
        fields["time"] = time.time().replace(second=0, microsecond=0)
    elif isinstance(time, datetime.time):
        fields["time"] = time.replace(second=0, microsecond=0)
    else:
        try:
            fields["time"] = read_time(_text(time))
        except ValueError as wrong:
            problem("time", str(wrong))
    for name, choices, what in (
        ("contact_type", ContactType.choices, "a kind of contact"),
        ("with_whom", WithWhom.choices, "whom the contact was with"),
    ):
        if _blank(values.get(name)):
            continue
        try:
            fields[name] = read_choice(_text(values.get(name)), choices, what=what)
        except ValueError as wrong:
            problem(name, str(wrong))
    for name in ("practitioner", "summary", "outcome", "source", "comment"):
        text = _text(values.get(name))
        if name in REQUIRED and not text:
            problem(name, "empty: it is required")
        elif len(text) > MAX_LENGTHS[name]:
            problem(name, f"must be {MAX_LENGTHS[name]:,} characters or fewer")
        fields[name] = text
    episode = values.get("key_practice_episode")
    if isinstance(episode, bool):
        fields["key_practice_episode"] = episode
    else:
        try:
            fields["key_practice_episode"] = read_yes_no(_text(episode))
        except ValueError as wrong:
            problem("key_practice_episode", str(wrong))
    return fields, problems


def row_key(fields: dict) -> tuple:
    """How a contact is recognised when a file is uploaded again: the same date (and whether it is
    a month alone), time, kind, with whom, practitioner and summary, in any case and spacing."""

    def norm(text):
        return " ".join(str(text or "").split()).casefold()

    return (
        fields["date"],
        bool(fields.get("date_is_approximate")),
        fields.get("time"),
        fields["contact_type"],
        fields["with_whom"],
        norm(fields["practitioner"]),
        norm(fields["summary"]),
    )


# The template's example row: shown to fill in, never imported if left in.
EXAMPLE = {
    "date": "27/03/2025",
    "time": "14:30",
    "contact_type": "home visit",
    "with_whom": "mother",
    "practitioner": "Health Visitor 1",
    "summary": "Example (delete this row): routine visit; a bruise seen on the child's arm.",
    "outcome": "Mother advised to see the GP.",
    "source": "Electronic patient record",
    "comment": "The bruise was not explored further.",
    "key_practice_episode": "no",
}


def is_example(fields: dict) -> bool:
    return " ".join(fields.get("summary", "").split()) == EXAMPLE["summary"]


def template_csv() -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerow([EXAMPLE[name] for name in COLUMNS])
    # With a byte-order mark, so that Excel opens accented text as UTF-8.
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Chronology"
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[name] for name in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    allowed = workbook.create_sheet("Allowed values")
    lists = {
        "contact_type": [value for value, _ in ContactType.choices],
        "with_whom": [value for value, _ in WithWhom.choices],
        "key_practice_episode": ["yes", "no"],
    }
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = chr(ord("A") + index - 1)
        allowed.cell(row=1, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            allowed.cell(row=row, column=index, value=value)
        column = chr(ord("A") + COLUMNS.index(name))
        validation = DataValidation(
            type="list",
            formula1=f"='Allowed values'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=name == "key_practice_episode",
            showErrorMessage=True,
            error=f"Choose one of the allowed values of {name}",
        )
        sheet.add_data_validation(validation)
        validation.add(f"{column}2:{column}{MAX_ROWS + 1}")
    for index, name in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[chr(ord("A") + index - 1)].width = (
            40 if name in ("summary", "comment") else 18
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
