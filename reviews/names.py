"""Find real names in a text: whole words, in any case, any spacing and with or without accents.

"Lukasz Nowak" finds "ŁUKASZ  nowak"; "Ann" does not find "Annual". Pure text work, no ORM:
the executive summary's name check gives it the review's names and shows what it finds.
"""

import re
import unicodedata
from dataclasses import dataclass

# Letters that Unicode does not decompose into a base letter and an accent, folded by hand.
FOLDED = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Ħ": "H",
        "ħ": "h",
        "\u0131": "i",  # dotless i
        "ß": "ss",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Þ": "TH",
        "þ": "th",
        "\u2019": "'",
    }
    # Letters of other scripts drawn like Latin ones (Cyrillic, Greek): "Sh\u0430nnon" is "Shannon".
    | dict(
        zip(
            "аеорсухіјѕԁһӏАВЕКМНОРСТХІЈЅοαεικνρτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ",
            "aeopcyxijsdhlABEKMHOPCTXIJSoaeikvptuxABEZHIKMNOPTYX",
            strict=True,
        )
    )
)

# Characters that show nothing, or nothing of their own, dropped before matching: a zero-width
# space inside a name ("Kay\u200bden") must not hide it.
INVISIBLE = {"Cf", "Mn", "Me"}
FILLERS = {"\u3164", "\u115f", "\u1160", "\uffa0"}

# The characters either side of a match shown as its context.
SNIPPET_CHARS = 40


def fold_char(char: str) -> str:
    """One character without its accents, case-folded: "Ł" → "l", "É" → "e", "ß" → "ss"; "" for an invisible one."""
    if char in FILLERS:
        return ""
    decomposed = unicodedata.normalize("NFKD", char.translate(FOLDED))
    return "".join(
        c for c in decomposed if not unicodedata.combining(c) and unicodedata.category(c) not in INVISIBLE
    ).casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """The text folded character by character, and for each folded character the index it came from."""
    if text.isascii():
        # Most text: no accents to fold, and case-folding keeps every character in its place.
        return text.lower(), list(range(len(text)))
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in fold_char(char):
            folded.append(piece)
            origin.append(index)
    return "".join(folded), origin


@dataclass(frozen=True)
class NameFound:
    name: str  # as the register spells it
    who: str  # whose name it is, e.g. "the child"
    paragraph: int  # counted from 1
    snippet: str  # the words around it, as written


class NameFinder:
    """Find any of `names` (each a (name, whose) pair) written in a text."""

    def __init__(self, names):
        self.by_folded: dict[str, tuple[str, str]] = {}
        for name, who in names:
            key = " ".join(fold(name)[0].split())
            if key and key not in self.by_folded:
                self.by_folded[key] = (" ".join(name.split()), who)
        # Longest first, so "Dawn Carter" is found whole before "Dawn".
        keys = sorted(self.by_folded, key=len, reverse=True)
        self.pattern = (
            re.compile(
                # Whole words: not next to another letter (a digit or "_" beside a name does not hide it).
                r"(?<![^\W\d_])("
                + "|".join(r"\s+".join(map(re.escape, k.split())) for k in keys)
                + r")(?![^\W\d_])"
            )
            if keys
            else None
        )

    def find(self, text: str) -> list[NameFound]:
        """Every name found, each once per paragraph, in the order they are written."""
        if self.pattern is None or not text:
            return []
        found, seen = [], set()
        for number, paragraph in enumerate(paragraphs(text), start=1):
            folded, origin = fold(paragraph)
            for match in self.pattern.finditer(folded):
                key = " ".join(match.group(1).split())
                if (key, number) in seen:
                    continue
                seen.add((key, number))
                start, end = origin[match.start()], origin[match.end() - 1] + 1
                name, who = self.by_folded[key]
                found.append(NameFound(name, who, number, snippet(paragraph, start, end)))
        return found


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs: blocks separated by a blank line."""
    return [block.strip() for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def snippet(text: str, start: int, end: int) -> str:
    """The words around text[start:end], with an ellipsis where the text goes on."""
    before = max(0, start - SNIPPET_CHARS)
    after = min(len(text), end + SNIPPET_CHARS)
    # Whole words only: a cut word would read as another name.
    while 0 < before < start and not text[before - 1].isspace():
        before += 1
    while end < after < len(text) and not text[after].isspace():
        after -= 1
    shown = " ".join(text[before:after].split())
    return ("…" if before else "") + shown + ("…" if after < len(text) else "")
