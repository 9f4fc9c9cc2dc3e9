"""Steps of a review as people take them, through the services: the demo data and the tests share them.

Each step is the sequence of services a person's work on one page amounts to,
with the content as arguments, so the demo's invented cases and the tests'
walk through the stages cannot drift from each other or from the product.
"""

import datetime
from collections.abc import Iterable

from reviews import services
from reviews.models import IMR, Document, PanelDecision, Referral, Review
from reviews.sample_pdf import text_pdf


def log_referral(
    *,
    referrer,
    child_name: str,
    child_date_of_birth: datetime.date,
    incident_date: datetime.date,
    incident_kind: str,
    summary: str,
    agencies: Iterable,
    police_investigating: bool,
    family_members: str = "",
    received_at: datetime.datetime | None = None,
    log_another: bool = False,
) -> Referral:
    """Log a referral; `received_at` dates an invented case in the past (demo and tests only)."""
    referral = services.referral_log(
        actor=referrer,
        child_name=child_name,
        child_date_of_birth=child_date_of_birth,
        child_unborn=False,
        family_members=family_members,
        incident_date=incident_date,
        incident_kind=incident_kind,
        summary=summary,
        agencies_involved=list(agencies),
        police_investigating=police_investigating,
        log_another=log_another,
    )
    if received_at is not None:
        # Invented history: a case that arrived before today. Nothing in the product moves this date.
        Referral.objects.filter(pk=referral.pk).update(received_at=received_at)
        referral.received_at = received_at
    return referral


def decide(
    *,
    chair,
    referral: Referral,
    held_on: datetime.date,
    attendees: Iterable,
    outcome: str,
    criteria: Iterable[str],
    rationale: str,
    justification: str = "",
    other_attendees: str = "",
) -> Review | None:
    """Record the panel's decision on a referral; return the review it opened, if any."""
    services.referral_decide(
        actor=chair,
        referral=referral,
        held_on=held_on,
        attendees=list(attendees),
        other_attendees=other_attendees,
        criteria={name: name in set(criteria) for name in PanelDecision.CRITERIA},
        outcome=outcome,
        rationale=rationale,
        criterion_a_justification=justification,
    )
    return Review.objects.filter(referral=referral).first()


def record_staff(*, actor, review: Review, rows: Iterable[tuple]) -> None:
    """Record the staff involved: rows of (agency, pseudonym, real name, role)."""
    for agency, pseudonym, real_name, role_title in rows:
        services.involved_staff_add(
            actor=actor,
            review=review,
            agency=agency,
            pseudonym=pseudonym,
            real_name=real_name,
            role_title=role_title,
        )


def draft_tor(
    *,
    chair,
    review: Review,
    period_start: datetime.date,
    period_end: datetime.date,
    questions: list[str],
    agencies,
) -> None:
    services.tor_update(
        actor=chair,
        review=review,
        period_start=period_start,
        period_end=period_end,
        focus_areas=questions,
        agencies=list(agencies),
    )


def support_meeting(*, manager, review: Review, kind: str, held_on: datetime.date, notes: str = "") -> None:
    services.support_meeting_record(
        actor=manager,
        review=review,
        kind=kind,
        held_on=held_on,
        attendees=review.involved_staff.current(),
        notes=notes,
    )


def secure_and_nominate(
    *, by, participation, author=None, originals_location: str, copies_made: bool = False
) -> None:
    """The agency's part: files secured, and the author nominated and signed up to the declaration."""
    services.participation_secure_files(
        actor=by, participation=participation, originals_location=originals_location, copies_made=copies_made
    )
    if author is not None:
        imr = services.imr_nominate_author(actor=by, participation=participation, author=author)
        services.imr_sign_declaration(actor=author, imr=imr)


def write_chronology(*, imr: IMR, entries: Iterable[dict]) -> None:
    """Start the IMR if need be, and add its chronology entries (dicts of the template's columns)."""
    if imr.state == IMR.State.NOMINATED:
        services.imr_move(actor=imr.author, imr=imr, move="start")
    for entry in entries:
        services.chronology_entry_add(actor=imr.author, imr=imr, **entry)


def submit_imr(
    *,
    imr: IMR,
    report: str,
    recommendation: str,
    action: str,
    action_owner: str,
    action_due: datetime.date,
    feedback_on: datetime.date | None = None,
    note: str = "",
) -> None:
    """Upload the report, record a recommendation and an action, submit; then feed back to staff if dated."""
    author, review = imr.author, imr.participation.review
    services.imr_report_upload(actor=author, imr=imr, content=text_pdf(report), filename="imr-report.pdf")
    answered = services.recommendation_add(actor=author, review=review, imr=imr, text=recommendation)
    services.action_item_add(
        actor=author,
        review=review,
        agency=imr.participation.agency,
        description=action,
        owner=action_owner,
        due_on=action_due,
        success_measure="Seen in the next audit of case files.",
        recommendation=answered,
    )
    services.imr_move(actor=author, imr=imr, move="submit", note=note)
    if feedback_on is not None:
        services.imr_record_feedback(actor=author, imr=imr, held_on=feedback_on)


def commission_overview(*, manager, review: Review, author) -> None:
    services.overview_author_commission(actor=manager, review=review, author=author)
    services.overview_sign_declaration(actor=author, review=review)


def write_overview(
    *, review: Review, report: str, recommendation: str, accept_note: str = "", critique: str = ""
) -> None:
    """The overview author assesses and accepts the submitted IMRs, uploads the report and records a recommendation."""
    author = review.overview_author
    for participation in review.participations.select_related("imr"):
        if critique:
            services.imr_critique_record(actor=author, imr=participation.imr, text=critique)
        if participation.imr.state == IMR.State.SUBMITTED:
            services.imr_move(actor=author, imr=participation.imr, move="accept", note=accept_note)
    services.document_create(
        actor=author,
        review=review,
        kind=Document.Kind.OVERVIEW_REPORT,
        title="Overview report",
        content=text_pdf(report),
        filename="overview-report.pdf",
    )
    services.recommendation_add(actor=author, review=review, text=recommendation)


# Many contacts at once, for the benchmark and the tests of a long integrated chronology: written
# in bulk (as bench_data writes its rows), not through the services one by one.

INVENTED_CONTACTS = (
    ("home visit", "child", "Home visit, child seen playing, mother present"),
    ("home visit", "mother", "Home visit, no answer at the door; card left"),
    ("office or clinic appointment", "child", "Child brought to clinic for weight check by mother"),
    ("phone call", "mother", "Phone call with mother about missed appointments"),
    ("correspondence", "professional", "Letter to GP sharing concerns about home conditions"),
    ("meeting", "professional", "Core group meeting; plan reviewed"),
    ("assessment", "child", "Assessment visit, child seen and spoken to alone"),
    ("strategy discussion", "professional", "Strategy discussion with police and health"),
)


def add_agencies_taking_part(*, review: Review, count: int, author, nominated_by) -> list[IMR]:
    """Give `review` `count` more invented agencies, each with an IMR in progress by `author` (bench and tests)."""
    from django.utils import timezone

    from agencies.models import Agency
    from reviews.models import AgencyParticipation

    imrs = []
    for number in range(count):
        agency = Agency.objects.create(name=f"Invented agency {review.pk}-{number + 1}", kind="other")
        participation = AgencyParticipation.objects.create(review=review, agency=agency)
        imrs.append(
            IMR.objects.create(
                participation=participation,
                author=author,
                nominated_by=nominated_by,
                nominated_at=timezone.now(),
                state=IMR.State.IN_PROGRESS,
            )
        )
    return imrs


def invented_contacts(*, imrs: list, count: int, first_day: datetime.date, days: int, seed: int = 1) -> list:
    """`count` unsaved chronology entries spread over `imrs` and `days` days from `first_day`, with some gaps."""
    import random

    from reviews.models import ChronologyEntry

    chance = random.Random(seed)
    entries = []
    for number in range(count):
        day = first_day + datetime.timedelta(days=chance.randrange(days))
        contact_type, with_whom, summary = INVENTED_CONTACTS[number % len(INVENTED_CONTACTS)]
        entries.append(
            ChronologyEntry(
                imr=imrs[number % len(imrs)],
                date=day,
                time=datetime.time(9 + number % 8, (number * 7) % 60),
                contact_type=contact_type,
                with_whom=with_whom,
                practitioner=f"Practitioner {number % 23 + 1}",
                summary=f"{summary} ({number + 1})",
                key_practice_episode=number % 37 == 0,
            )
        )
    return entries
