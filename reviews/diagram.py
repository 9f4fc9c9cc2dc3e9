"""The state machines drawn from the code, as Mermaid diagrams, so the pictures cannot drift."""

from reviews.models import IMR, ActionItem, Review

START = "<!-- state-diagram:start -->"
END = "<!-- state-diagram:end -->"
MACHINES = [("The review", Review), ("An IMR", IMR), ("An action", ActionItem)]


def mermaid(model) -> str:
    field = model._meta.get_field("state")
    lines = ["stateDiagram-v2", f"    [*] --> {field.default}"]
    for value, label in field.choices:
        lines.append(f"    {value} : {label}")
    for transition in sorted(
        field.get_all_transitions(model),
        key=lambda t: ([v for v, _ in field.choices].index(t.source), t.name),
    ):
        label = transition.custom.get("label", transition.name)
        if transition.custom.get("scr_only"):
            label += " (serious case reviews only)"
        lines.append(f"    {transition.source} --> {transition.target} : {label}")
    terminal = {value for value, _ in field.choices} - {t.source for t in field.get_all_transitions(model)}
    lines += [f"    {state} --> [*]" for state in sorted(terminal)]
    return "\n".join(lines)


def diagrams_markdown() -> str:
    parts = [START]
    for title, model in MACHINES:
        parts += [f"**{title}**", "", "```mermaid", mermaid(model), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def replace_in(text: str) -> str:
    """Return `text` with the block between the markers replaced by the current diagrams."""
    start, end = text.index(START), text.index(END) + len(END)
    return text[:start] + diagrams_markdown() + text[end:]
