"""The name finder behind the executive summary's check: whole words, any case, spacing and accents."""

import pytest

from reviews.names import NameFinder, fold

FINDER = NameFinder(
    [
        ("Łukasz Nowak", "a member of staff"),
        ("Ann", "the child"),
        ("Zoë Brontë", "a family member"),
        ("Søren Ørsted", "a member of staff"),
    ]
)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Seen by Lukasz Nowak at home.", "Łukasz Nowak"),
        ("Seen by ŁUKASZ   nowak at home.", "Łukasz Nowak"),
        ("Seen by lukasz\nNOWAK.", "Łukasz Nowak"),
        ("ann was seen.", "Ann"),
        ("ANN was seen.", "Ann"),
        ("Visit to Zoe Bronte.", "Zoë Brontë"),
        # Written with combining accents rather than the precomposed letters.
        ("Visit to Zoe\u0308 Bronte\u0308.", "Zoë Brontë"),
        ("Soren Orsted phoned.", "Søren Ørsted"),
        ("(Ann)", "Ann"),
    ],
)
def test_names_are_found_in_any_case_spacing_and_accents(text, name):
    assert [found.name for found in FINDER.find(text)] == [name]


@pytest.mark.parametrize("text", ["The Annual report.", "Joanne and Anne.", "Lukasz-Nowakowski", "Nowak"])
def test_a_name_inside_another_word_is_not_found(text):
    assert FINDER.find(text) == []


def test_each_name_is_reported_with_its_paragraph_and_the_words_around_it():
    text = "The child lived with her mother.\n\nA health visitor, Lukasz Nowak, called twice. " + "x " * 40
    (found,) = FINDER.find(text)
    assert found.paragraph == 2
    assert found.who == "a member of staff"
    assert found.snippet.startswith("A health visitor, Lukasz Nowak, called twice.")
    assert found.snippet.endswith("…")


def test_folding_keeps_track_of_where_each_character_came_from():
    folded, origin = fold("Straße Ł")
    assert folded == "strasse l"
    assert origin == [0, 1, 2, 3, 4, 4, 5, 6, 7]
