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


DISGUISED = NameFinder([("Kayden Moss", "the child"), ("Shannon", "a family member")])


@pytest.mark.parametrize(
    "text",
    [
        "Kay\u200bden Mo\u200bss was scalded.",  # zero-width space
        "Kay\u200dden Moss was scalded.",  # zero-width joiner
        "Kay\u2060den Moss was scalded.",  # word joiner
        "\ufeffKayden Moss was scalded.",  # byte-order mark
        "Kay\u00adden Moss was scalded.",  # soft hyphen
        "\u202eKayden Moss was scalded.",  # right-to-left override
        "Kayden\ufe0f Moss was scalded.",  # variation selector
        "Kay\u3164den Moss was scalded.",  # Hangul filler
        "K\u0430yden Moss was scalded.",  # Cyrillic a
        "Kayd\u0435n M\u03bfss was scalded.",  # Cyrillic e, Greek o
        "_Kayden Moss_ was scalded.",
        "Kayden Moss2 was scalded.",
    ],
)
def test_a_name_disguised_with_invisible_or_look_alike_characters_is_found(text):
    assert [found.name for found in DISGUISED.find(text)] == ["Kayden Moss"]


def test_the_cyrillic_look_alike_inside_a_first_name_is_found():
    assert [found.name for found in DISGUISED.find("his mother Sh\u0430nnon was there")] == ["Shannon"]
