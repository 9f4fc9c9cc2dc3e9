"""Browser tests: Playwright driving Debian's Chromium against the live test server."""

import datetime
import json
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from agencies.roles import Role
from reviews.management.commands.demo_data import DEMO_PASSWORD

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between pages are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Where a walk's screenshots go, to be looked at by a person.
SHOTS = Path(os.environ.get("BROWSER_SHOTS", "/tmp/browser-shots"))
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(autouse=True)
def role_groups(request):
    """Recreate the role groups a data migration makes: a browser test before this one flushed them."""
    if request.node.get_closest_marker("django_db") is None:
        return
    for role in Role:
        Group.objects.get_or_create(name=role.value)


@pytest.fixture(scope="session")
def browser(require_service_session):
    require_service_session("Chromium", shutil.which(CHROMIUM) is not None or Path(CHROMIUM).exists())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def require_service_session():
    from tests.conftest import require_service_check

    return require_service_check


@pytest.fixture(scope="session")
def axe_source(require_service_session):
    require_service_session("axe-core (frontend/node_modules)", AXE.exists())
    return AXE.read_text(encoding="utf-8")


class AxeChecker:
    """Run axe-core on a page and collect what it finds at WCAG 2.2 AA."""

    def __init__(self, source):
        self.source = source
        self.pages: list[str] = []
        self.violations: list[str] = []

    def check(self, page):
        # Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not apply.
        page.evaluate(self.source)
        result = page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)",
            WCAG_22_AA,
        )
        self.pages.append(page.url)
        for violation in result:
            targets = [node["target"] for node in violation["nodes"]][:3]
            self.violations.append(
                f"{page.url}: {violation['id']} ({violation['impact']}): {json.dumps(targets)}"
            )


@pytest.fixture
def axe(axe_source):
    return AxeChecker(axe_source)


@pytest.fixture
def demo(settings):
    """The demo agencies, people and reviews at several stages."""
    settings.DEBUG = True
    call_command("demo_data", stdout=None)


@pytest.fixture
def open_page(browser, live_server):
    """Open a signed-in browser page of the given width; closed before the database goes."""
    contexts = []

    def open_page(username, *, width, height=800, zoom=1, text_size=16):
        # Browser zoom at Z% shows a window 1/Z as wide in CSS pixels, each Z/100 device pixels;
        # the text size setting is the default font size, which the GOV.UK styles read in rem.
        context = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=zoom)
        contexts.append(context)
        page = context.new_page()
        context.new_cdp_session(page).send("Page.setFontSizes", {"fontSizes": {"standard": text_size}})
        page.goto(live_server.url + reverse("login"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(live_server.url + reverse("home"))
        return page

    yield open_page
    for context in contexts:
        context.close()


class Walk:
    """One person's browser at 1200 pixels wide; every page it lands on is checked by axe."""

    def __init__(self, browser, live_server, axe):
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        # A page that is not there fails the walk in seconds, not in Playwright's default half-minute.
        self.page.set_default_timeout(10_000)
        self.base = live_server.url
        self.axe = axe

    def goto(self, path):
        self.page.goto(self.base + path)
        self.checked()

    def checked(self):
        self.page.wait_for_load_state()
        self.axe.check(self.page)

    def click(self, role, name, **kwargs):
        self.page.get_by_role(role, name=name, **kwargs).first.click()
        self.checked()

    def sign_in(self, username):
        self.goto("/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.click("button", "Sign in")
        assert self.page.get_by_role("heading", level=1).inner_text().startswith("Hello")

    def sign_out(self):
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url("**/sign-in/")

    def date(self, field, day: datetime.date):
        self.page.locator(f"#id_{field}_day").fill(str(day.day))
        self.page.locator(f"#id_{field}_month").fill(str(day.month))
        self.page.locator(f"#id_{field}_year").fill(str(day.year))

    def h1(self):
        return self.page.get_by_role("heading", level=1).inner_text()

    def success(self):
        return self.page.locator(".govuk-notification-banner--success").inner_text()

    def errors(self):
        return self.page.locator(".govuk-error-summary").inner_text()

    def upload(self, label, path, button):
        self.page.get_by_label(label).set_input_files(path)
        # Exact: a file input is a button too, named by its label ("Upload the report").
        self.click("button", button, exact=True)

    def screenshot(self, name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.fixture
def walk(browser, live_server, axe):
    walk = Walk(browser, live_server, axe)
    yield walk
    # Close the pages before the database goes, so no request is left in flight.
    walk.context.close()
