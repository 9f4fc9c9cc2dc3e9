"""The list pages' filters, sorts and pages, and the exports, with hostile addresses and hostile rows.

An edited address never fails (reviews/lists.py): whatever the query string holds, a list page
answers 200 with the list. The action exports keep every text as a spreadsheet must: a cell that
could run as a formula starts with an apostrophe, and the XLSX holds no character a worksheet
cannot. The sign-in page refuses hostile names and passwords without an error page.
"""

import csv
import io

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from reviews import services
from reviews.govuk_fields import TextField
from reviews.monitoring import FORMULA_STARTS
from tests.hostile.strategies import hostile_text, long_text
from tests.scr.test_access_table import KWARGS, build_world


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


# (URL name, its object as the access table names it, who reads it, the filters of its FilterSet)
LISTS = [
    ("home", None, "manager", ()),
    ("reviews:referral-list", None, "manager", ("status", "year")),
    ("reviews:tracker", None, "manager", ("status", "stage", "type")),
    ("reviews:imr-list", None, "author", ("state",)),
    ("reviews:participation-list", None, "agencymanager", ("needs",)),
    ("reviews:action-list", None, "qa", ("review", "agency", "state", "colour", "due_before", "due")),
    ("reviews:action-list", None, "author", ("review", "state", "colour", "due_before", "due")),
    ("reviews:action-charts", None, "qa", ()),
    ("reviews:review-activity", "review", "manager", ("person", "kind")),
    ("reviews:chronology", "imr", "author", ("key",)),
    (
        "reviews:integrated-chronology",
        "review",
        "manager",
        ("agency", "date_from", "date_to", "contact_type", "key"),
    ),
    ("reviews:outbox", None, "manager", ("review", "kind", "status")),
    ("reviews:theme-list", None, "qa", ("status",)),
    ("reviews:theme-detail", "theme", "qa", ("year",)),
    ("reviews:theme-recurrence", None, "qa", ()),
    ("reviews:public-summary-list", None, None, ()),
]

PARAMETERS = ["sort", "order", "page", "q", "csrfmiddlewaretoken", "next"]


def query(filters):
    value = (
        hostile_text(long=False)
        | long_text(2_000, 5_000)
        | st.sampled_from(
            ["asc", "desc", "0", "-1", "99999999999999999999", "last", "1e9", "NaN", "2026", "red", "yes"]
        )
    )
    return st.dictionaries(
        st.sampled_from([*filters, *PARAMETERS]), value | st.lists(value, max_size=3), max_size=6
    )


def url_of(world, name, kind):
    if kind is None:
        return reverse(name)
    key, build = KWARGS[kind]
    return reverse(name, kwargs=build(world.objects[key]["own"]))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "kind", "role", "filters"), LISTS, ids=lambda value: value if isinstance(value, str) else ""
)
def test_a_list_answers_any_address(world, name, kind, role, filters):
    url = url_of(world, name, kind)
    client = Client()
    if role:
        client.force_login(world.cast[role])

    @given(params=query(filters))
    def get(params):
        with transaction.atomic():
            response = client.get(url, params)
            assert response.status_code == 200
            transaction.set_rollback(True)

    get()


def cells_of(fmt, content):
    if fmt == "csv":
        return [
            cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")) for cell in row
        ]
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_keeps_hostile_text_as_text(world, fmt):
    item = world.objects["action"]["own"]
    author = world.cast["author"]
    client = Client()
    client.force_login(world.cast["manager"])
    url = reverse("reviews:action-export", kwargs={"fmt": fmt})

    @given(
        text=hostile_text(long=False)
        .filter(lambda text: "\x00" not in text)
        .map(lambda text: TextField(required=False).clean(text))
        .filter(bool)
    )
    def export(text):
        with transaction.atomic():
            services.action_progress_record(actor=author, item=item, note=text)
            response = client.get(url)
            assert response.status_code == 200
            content = b"".join(response.streaming_content) if response.streaming else response.content
            cells = cells_of(fmt, content)
            for cell in cells:
                assert not cell.startswith(FORMULA_STARTS), f"a cell could run as a formula: {cell!r}"
            written = f"'{text}" if text.startswith(FORMULA_STARTS) else text
            if fmt == "xlsx":
                # XML reads a carriage return as a line feed.
                written = ILLEGAL_CHARACTERS_RE.sub("", written).replace("\r\n", "\n").replace("\r", "\n")
            assert written in cells
            transaction.set_rollback(True)

    export()


@pytest.mark.django_db
@given(username=hostile_text(), password=hostile_text())
def test_the_sign_in_page_refuses_hostile_names_and_passwords(world, username, password):
    with transaction.atomic():
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": password})
        # Refused with the form again, or, once too many attempts came from this address, locked out.
        assert response.status_code in (200, 403, 429)
        assert "_auth_user_id" not in client.session
        transaction.set_rollback(True)
