"""How the pages lay out on a phone, at 320 px (WCAG 1.4.10 reflow) and with larger text."""

import pytest
from django.urls import reverse

from reviews.models import IMR, Referral, Review

pytestmark = pytest.mark.django_db(transaction=True)


def overflow(page) -> list[str]:
    """What makes the page wider than the window, and every table that is not in its own scrolling box."""
    return page.evaluate(
        """() => {
        const found = [];
        const root = document.documentElement;
        if (root.scrollWidth > window.innerWidth) {
            found.push(`page is ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
        }
        for (const table of document.querySelectorAll("main table")) {
            const box = table.parentElement;
            const ok = box.matches(".app-table-scroll[role=region][tabindex='0'][aria-label]")
                && box.getAttribute("aria-label").trim() !== ""
                && getComputedStyle(box).overflowX === "auto";
            if (!ok) found.push(`table "${table.innerText.slice(0, 30)}" is not in a scrolling region`);
        }
        return found;
    }"""
    )


@pytest.mark.parametrize("width", [320, 390])
def test_pages_reflow_and_wide_tables_scroll_in_their_own_box(demo, open_page, axe, live_server, width):
    manager = open_page("manager", width=width)
    review = Review.objects.filter(police_investigation_open=True).first()
    paths = [
        reverse("home"),
        reverse("reviews:tracker"),
        reverse("reviews:referral-list"),
        reverse("reviews:identity-register", args=[review.pk]),
        *(reverse("reviews:review-detail", args=[pk]) for pk in Review.objects.values_list("pk", flat=True)),
        *(
            reverse("reviews:referral-detail", args=[pk])
            for pk in Referral.objects.values_list("pk", flat=True)
        ),
    ]
    author = open_page("author", width=width)
    imr = IMR.objects.filter(author__username="author").first()
    problems = []
    for page, path in [(manager, path) for path in paths] + [
        (author, reverse("home")),
        (author, reverse("reviews:imr-detail", args=[imr.pk])),
    ]:
        page.goto(live_server.url + path)
        problems += [f"{path}: {problem}" for problem in overflow(page)]
        axe.check(page)
    assert problems == []
    assert axe.violations == []

    # The tracker's filters fit the window; its table scrolls inside its own box, by keyboard too.
    manager.goto(live_server.url + reverse("reviews:tracker"))
    assert manager.locator("#id_stage").bounding_box()["width"] <= width - 30
    box = manager.locator(".app-table-scroll", has=manager.locator("#tracker-table"))
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    box.focus()
    manager.keyboard.press("ArrowRight")
    manager.wait_for_function("() => document.activeElement.scrollLeft > 0")


CHART_TEXT = """() => {
    const onScreen = (px) => px * window.devicePixelRatio;
    const body = document.querySelector("main .govuk-body");
    const sizes = {body: onScreen(parseFloat(getComputedStyle(body).fontSize))};
    for (const name of ["label", "tick"]) {
        const text = document.querySelector(`.app-chart__${name}`);
        // An SVG's text is drawn at its font size times the scale of its viewBox.
        sizes[name] = onScreen(parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM().a);
    }
    return sizes;
}"""


def test_tracker_chart_text_grows_with_zoom_and_text_size(demo, open_page, live_server):
    sizes = {}
    for setting, options in {
        "as set": {"width": 1280},
        "zoom 400%": {"width": 320, "zoom": 4},
        "text size 200%": {"width": 1280, "text_size": 32},
        "text size 400%": {"width": 1280, "text_size": 64},
    }.items():
        page = open_page("manager", **options)
        page.goto(live_server.url + reverse("reviews:tracker"))
        sizes[setting] = page.evaluate(CHART_TEXT)
    base = sizes["as set"]
    # Every label grows in step with the body text, on screen (device pixels).
    assert {
        setting: {name: round(size / base[name], 2) for name, size in measured.items()}
        for setting, measured in sizes.items()
    } == {
        "as set": {"body": 1, "label": 1, "tick": 1},
        "zoom 400%": {"body": 4, "label": 4, "tick": 4},
        "text size 200%": {"body": 2, "label": 2, "tick": 2},
        "text size 400%": {"body": 4, "label": 4, "tick": 4},
    }
    assert (base["body"], base["label"], base["tick"]) == (19, 16, 14)
