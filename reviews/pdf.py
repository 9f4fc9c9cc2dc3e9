"""Render the product's documents to PDF with WeasyPrint."""

from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango when imported, and only PDF rendering needs it.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf()


def terms_of_reference_pdf(review, *, draft: bool = False) -> bytes:
    """Return the terms of reference as an A4 PDF; a draft says so on every page."""
    tor = review.terms_of_reference
    return render_pdf(
        "reviews/pdf/terms_of_reference.html",
        {
            "review": review,
            "draft": draft,
            "tor": tor,
            "focus_areas": tor.focus_areas.all(),
            "participations": review.participations.select_related("agency"),
            "milestones": review.milestones.all(),
            # Pseudonyms only: the document goes to staff and to the external bodies.
            "staff": review.involved_staff.current().select_related("agency"),
        },
    )
