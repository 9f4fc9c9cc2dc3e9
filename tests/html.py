"""Read a page's HTML in tests: its elements in document order, with their attributes and text."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(eq=False)
class Element:
    tag: str
    attrs: dict[str, str]
    position: int
    parent: "Element | None" = None
    children: list["Element | str"] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """The text inside, with white space collapsed."""
        parts = [child if isinstance(child, str) else child.text() for child in self.children]
        return " ".join(" ".join(parts).split())

    def all(self, tag=None, *, cls=None, **attrs) -> list["Element"]:
        """The elements inside that match, in document order."""
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if (
                (tag is None or child.tag == tag)
                and (cls is None or cls in child.classes)
                and all(child.attrs.get(name.replace("_", "-")) == value for name, value in attrs.items())
            ):
                found.append(child)
            found.extend(child.all(tag, cls=cls, **attrs))
        return found

    def one(self, tag=None, *, cls=None, **attrs) -> "Element":
        (found,) = self.all(tag, cls=cls, **attrs)
        return found

    def inside(self, other: "Element") -> bool:
        node = self.parent
        while node is not None:
            if node is other:
                return True
            node = node.parent
        return False


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.count = 0
        self.root = self.current = Element("#document", {}, 0)

    def handle_starttag(self, tag, attrs):
        self.count += 1
        element = Element(tag, {name: value or "" for name, value in attrs}, self.count, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.current = self.current.parent

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html: str | bytes) -> Element:
    builder = _Builder()
    builder.feed(html.decode() if isinstance(html, bytes) else html)
    builder.close()
    return builder.root
