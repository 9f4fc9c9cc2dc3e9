"""What the pages show, as drawn by the browser: nothing told by colour alone."""

import pytest
from django.urls import reverse

from reviews.models import Review, ReviewState

pytestmark = pytest.mark.django_db(transaction=True)

STAGES = """() => {
    const rgb = (colour) => colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
    const luminance = (colour) => {
        const [r, g, b] = rgb(colour).map((c) => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const contrast = (a, b) => {
        const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return Math.round(((high + 0.05) / (low + 0.05)) * 100) / 100;
    };
    const page = getComputedStyle(document.body).backgroundColor;
    return [...document.querySelectorAll(".app-stages__item")].map((item) => {
        const style = getComputedStyle(item);
        const status = item.querySelector(".app-stages__status");
        const box = status ? status.getBoundingClientRect() : {width: 0, height: 0};
        const shown = status ? [...status.childNodes].filter((node) => !node.matches?.(".govuk-visually-hidden")) : [];
        return {
            // What a sighted reader sees above the stage's name, if anything.
            status: box.width > 10 && box.height > 10 ? shown.map((node) => node.textContent).join("").trim() : "",
            edge: Math.min(
                contrast(style.borderTopColor, style.backgroundColor),
                contrast(style.borderTopColor, page),
                contrast(style.borderLeftColor, page),
            ),
        };
    });
}"""


def test_review_stages_say_done_or_not_in_words_with_edges_of_3_to_1(demo, open_page, live_server):
    review = Review.objects.get(state=ReviewState.IMRS_IN_PROGRESS)
    done = review.stages().index(review.state)
    page = open_page("manager", width=1280)
    page.goto(live_server.url + reverse("reviews:review-detail", args=[review.pk]))
    stages = page.evaluate(STAGES)
    assert [stage["status"] for stage in stages] == (
        ["✓ Done"] * done + ["Current stage"] + ["Not started"] * (len(stages) - done - 1)
    )
    assert min(stage["edge"] for stage in stages) >= 3
