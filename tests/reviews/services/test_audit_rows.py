"""Every public service writes its audit row: one table, one entry per service in reviews.services.__all__.

A service added without an entry here fails `test_every_service_has_an_audit_entry`; an entry whose
service writes no row (or the wrong kind) fails `test_service_writes_its_audit_row`.
"""

import datetime

import pytest
from django.utils import timezone

from reviews import services
from reviews.models import (
    AuditEvent,
    Document,
    Milestone,
    OutboxMessage,
    RenderedPdf,
    ReviewState,
    StaffSupportMeeting,
)
from reviews.pdf import source_stamp
from reviews.preconditions import move_label
from reviews.sample_pdf import text_pdf
from reviews.services import SUPPORT
from tests.factories import ThemeFactory

A = AuditEvent.Action
S = ReviewState
TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def _imr(walk, state=S.IMRS_IN_PROGRESS):
    review = walk.at(state)
    return review.participations.get(agency=walk.cast["hospital"]).imr


def _submitted_imr(walk):
    imr = _imr(walk)
    walk.complete_imr(imr, feedback=False)
    return type(imr).objects.get(pk=imr.pk)


def _action_item(walk):
    review = walk.at(S.ACTION_PLAN)
    walk.ready(review)
    return review.action_plans.get(agency__isnull=True).items.get()


def _evidence(walk):
    """A piece of evidence for the LSCB's action, uploaded by the business manager, who owns it."""
    version = services.action_evidence_add(
        actor=walk.cast["manager"],
        item=_action_item(walk),
        title="Protocol signed",
        content=text_pdf("Signed."),
        filename="protocol.pdf",
    )
    return version.document


def _sent_notification(walk):
    """Notification 1 to Ofsted recorded as sent by hand, after its e-mail failed."""
    notification = walk.referral().notifications.get(body__name="Ofsted")
    OutboxMessage.objects.filter(notification=notification).update(status="failed")
    services.notification_mark_sent(actor=walk.cast["manager"], notification=notification)
    return notification


def _message(walk, status="queued"):
    """The e-mail of notification 1 to Ofsted, queued with the referral (its delivery not yet run)."""
    message = walk.referral().notifications.get(body__name="Ofsted").message
    OutboxMessage.objects.filter(pk=message.pk).update(status=status)
    return message


def _tor_attached(walk):
    review = walk.at(S.TOR_AGREED)
    version = services.document_create(
        actor=walk.cast["chair"],
        review=review,
        kind=Document.Kind.TERMS_OF_REFERENCE,
        title="Terms of reference",
        content=b"%PDF-1.7 terms",
        filename="tor.pdf",
        content_type="application/pdf",
    )
    notification = review.notifications.get(kind="tor", body__name="Ofsted")
    return services.notification_attach(notification=notification, version=version)


def _staff(walk):
    return walk.ready(walk.at(S.TOR_DRAFTING)).involved_staff.get(pseudonym="Health Visitor 1")


def _interview(walk, author):
    imr = _imr(walk)
    return services.interview_record(
        actor=author,
        imr=imr,
        staff=imr.participation.review.involved_staff.get(pseudonym="Health Visitor 1"),
        held_on=TODAY(),
        tor_shared_on=TODAY(),
    )


# service name: (who acts, how to call it given the walk, the audit action it writes)
def _entry(walk, author):
    """A contact in the chronology of an IMR in progress."""
    return services.chronology_entry_add(
        actor=author,
        imr=services.imr_move(actor=author, imr=_imr(walk), move="start"),
        date=TODAY() - 9 * DAY,
        contact_type="home visit",
        with_whom="mother",
        practitioner="Health Visitor 1",
        summary="Visit.",
    )


# Services the system runs (a task, the daily sweep) write their rows with no actor: who is None.
def _totp_now(key):
    import binascii

    from django_otp.oath import TOTP

    return f"{TOTP(binascii.unhexlify(key)).token():06d}"


def _lockout():
    from axes.models import AccessAttempt

    return AccessAttempt.objects.create(
        username="chair",
        ip_address="127.0.0.1",
        user_agent="Browser",
        http_accept="*/*",
        path_info="/sign-in/",
        get_data="",
        post_data="",
        failures_since_start=10,
    )


def _device(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


CALLS = {
    "sign_in_record": (
        "chair",
        lambda w, a: services.sign_in_record(user=a, address="127.0.0.1"),
        A.SIGNED_IN,
    ),
    "sign_out_record": (
        "chair",
        lambda w, a: services.sign_out_record(user=a, address="127.0.0.1"),
        A.SIGNED_OUT,
    ),
    "sign_in_failure_record": (
        None,
        lambda w, a: services.sign_in_failure_record(username="chair", address="127.0.0.1", locked=False),
        A.SIGN_IN_FAILED,
    ),
    "lockout_record": (
        None,
        lambda w, a: services.lockout_record(username="chair", address="127.0.0.1", failures=10),
        A.LOCKED_OUT,
    ),
    "lockout_clear": (
        "manager",
        lambda w, a: services.lockout_clear(actor=a, attempt=_lockout()),
        A.LOCKOUT_CLEARED,
    ),
    "two_factor_confirm": (
        "chair",
        lambda w, a: services.two_factor_confirm(
            actor=a, key=(key := "3132333435363738393031323334353637383930"), code=_totp_now(key)
        ),
        A.DEVICE_ADDED,
    ),
    "two_factor_verify": (
        "chair",
        lambda w, a: services.two_factor_verify(actor=a, code=_totp_now(_device(a).key)),
        A.CODE_ACCEPTED,
    ),
    "two_factor_remove": (
        "chair",
        lambda w, a: (_device(a), services.two_factor_remove(actor=a)),
        A.DEVICE_REMOVED,
    ),
    "notification_attach": (None, lambda w, a: _tor_attached(w), A.CHANGED),
    "outbox_deliver": (None, lambda w, a: services.outbox_deliver(message_id=_message(w).pk), A.SENT),
    "outbox_resend": (
        "manager",
        lambda w, a: services.outbox_resend(actor=a, message=_message(w, status="failed")),
        A.QUEUED,
    ),
    "reminders_queue": (
        None,
        # Fourteen days before the review's first milestone (terms of reference agreed).
        lambda w, a: services.reminders_queue(
            on=w.decided().milestones.get(kind="tor_agreed").due_on - 14 * DAY
        ),
        A.QUEUED,
    ),
    "access_denied_record": (
        "author2",
        lambda w, a: services.access_denied_record(
            actor=a, obj=(r := w.decided()), review=r, summary="Tried"
        ),
        A.DENIED,
    ),
    "confidential_view_record": (
        "chair",
        lambda w, a: services.confidential_view_record(
            actor=a, obj=(r := w.decided()), review=r, summary="Looked"
        ),
        A.VIEWED,
    ),
    "action_item_add": (
        "manager",
        lambda w, a: services.action_item_add(
            actor=a,
            review=w.at(S.ACTION_PLAN),
            agency=None,
            description="Publish guidance.",
            owner="LSCB",
            due_on=TODAY() + 30 * DAY,
        ),
        A.CREATED,
    ),
    "action_item_move": (
        "manager",
        lambda w, a: services.action_item_move(actor=a, item=_action_item(w), move="start"),
        A.MOVED,
    ),
    "chronology_entry_add": (
        "author",
        lambda w, a: services.chronology_entry_add(
            actor=a,
            imr=services.imr_move(actor=a, imr=_imr(w), move="start"),
            date=TODAY() - 9 * DAY,
            contact_type="home visit",
            with_whom="mother",
            practitioner="Health Visitor 1",
            summary="Visit.",
        ),
        A.CREATED,
    ),
    "chronology_entry_change": (
        "author",
        lambda w, a: services.chronology_entry_change(
            actor=a, entry=_entry(w, a), summary="Visit; a bruise seen."
        ),
        A.CHANGED,
    ),
    "chronology_entry_delete": (
        "author",
        lambda w, a: services.chronology_entry_delete(actor=a, entry=_entry(w, a)),
        A.DELETED,
    ),
    "chronology_import": (
        "author",
        lambda w, a: services.chronology_import(
            actor=a,
            imr=services.imr_move(actor=a, imr=_imr(w), move="start"),
            filename="chronology.csv",
            content=b"date,contact_type,with_whom,practitioner,summary\n27/03/2025,home visit,mother,Health Visitor 1,Visit.\n",
        ),
        A.CREATED,
    ),
    "counselling_offer_record": (
        "manager",
        lambda w, a: services.counselling_offer_record(
            actor=a,
            review=(s := _staff(w)).review,
            staff=s,
            offered_on=TODAY(),
            offered_by="EAP",
            response="accepted",
        ),
        A.CREATED,
    ),
    "document_add_version": (
        "manager",
        lambda w, a: services.document_add_version(
            actor=a,
            document=Document.objects.create(
                review=_imr(w).participation.review, kind="other", title="Letter"
            ),
            content=b"v2",
            filename="letter.txt",
        ),
        A.CREATED,
    ),
    "document_create": (
        "author",
        lambda w, a: services.document_create(
            actor=a,
            review=(i := _imr(w)).participation.review,
            imr=i,
            kind="imr_report",
            title="IMR report",
            content=text_pdf("IMR report"),
            filename="imr.pdf",
        ),
        A.CREATED,
    ),
    "imr_report_upload": (
        "author",
        lambda w, a: services.imr_report_upload(
            actor=a, imr=_imr(w), content=text_pdf("IMR report"), filename="imr.pdf"
        ),
        A.CREATED,
    ),
    "imr_critique_record": (
        "overview",
        lambda w, a: services.imr_critique_record(
            actor=a,
            imr=w.at(S.OVERVIEW).participations.get(agency=w.cast["hospital"]).imr,
            text="Thorough, but says little about supervision.",
        ),
        A.CREATED,
    ),
    "imr_move": ("author", lambda w, a: services.imr_move(actor=a, imr=_imr(w), move="start"), A.MOVED),
    "imr_nominate_author": (
        "agencymanager",
        lambda w, a: services.imr_nominate_author(
            actor=a,
            participation=w.at(S.AGENCIES_ENGAGED).participations.get(agency=w.cast["hospital"]),
            author=w.cast["author"],
        ),
        A.ASSIGNED,
    ),
    "imr_record_feedback": (
        "author",
        lambda w, a: services.imr_record_feedback(actor=a, imr=_submitted_imr(w), held_on=TODAY()),
        A.CHANGED,
    ),
    "imr_sign_declaration": (
        "author",
        lambda w, a: services.imr_sign_declaration(
            actor=a,
            imr=services.imr_nominate_author(
                actor=w.cast["agencymanager"],
                participation=w.at(S.AGENCIES_ENGAGED).participations.get(agency=w.cast["hospital"]),
                author=a,
            ),
        ),
        A.SIGNED,
    ),
    "interview_change": (
        "author",
        lambda w, a: services.interview_change(
            actor=a,
            interview=(iv := _interview(w, a)),
            staff=iv.staff,
            held_on=TODAY(),
            tor_shared_on=TODAY(),
            notes="Corrected.",
        ),
        A.CHANGED,
    ),
    "interview_delete": (
        "author",
        lambda w, a: services.interview_delete(actor=a, interview=_interview(w, a)),
        A.DELETED,
    ),
    "interview_record": (
        "author",
        lambda w, a: services.interview_record(
            actor=a,
            imr=(i := _imr(w)),
            staff=i.participation.review.involved_staff.get(pseudonym="Health Visitor 1"),
            held_on=TODAY(),
            tor_shared_on=TODAY(),
        ),
        A.CREATED,
    ),
    "involved_staff_add": (
        "manager",
        lambda w, a: services.involved_staff_add(
            actor=a,
            review=w.at(S.TOR_DRAFTING),
            agency=w.cast["hospital"],
            pseudonym="Midwife 1",
            real_name="Jo Bloggs",
            role_title="Midwife",
        ),
        A.CREATED,
    ),
    "involved_staff_correct": (
        "manager",
        lambda w, a: services.involved_staff_correct(
            actor=a,
            staff=_staff(w),
            agency=w.cast["hospital"],
            pseudonym="Health Visitor 1",
            real_name="Sandra Belle",
            role_title="Health visitor",
            email="",
            reason="Name misspelt.",
        ),
        A.CORRECTED,
    ),
    "involved_staff_withdraw": (
        "manager",
        lambda w, a: services.involved_staff_withdraw(
            actor=a, staff=_staff(w), reason="Never worked on the case."
        ),
        A.WITHDRAWN,
    ),
    "action_progress_record": (
        "manager",
        lambda w, a: services.action_progress_record(actor=a, item=_action_item(w), note="Drafted."),
        A.CREATED,
    ),
    "action_due_date_change": (
        "qa",
        lambda w, a: services.action_due_date_change(
            actor=a, item=_action_item(w), due_on=TODAY() + datetime.timedelta(days=90), reason="Agreed."
        ),
        A.CHANGED,
    ),
    "action_evidence_add": (
        "manager",
        lambda w, a: services.action_evidence_add(
            actor=a, item=_action_item(w), title="Minutes", content=text_pdf("Minutes."), filename="m.pdf"
        ),
        A.CREATED,
    ),
    "action_evidence_version_add": (
        "manager",
        lambda w, a: services.action_evidence_version_add(
            actor=a, document=_evidence(w), content=text_pdf("Signed again."), filename="p.pdf"
        ),
        A.CREATED,
    ),
    "monitoring_note_add": (
        "qa",
        lambda w, a: services.monitoring_note_add(actor=a, item=_action_item(w), note="On track."),
        A.CREATED,
    ),
    "notification_mark_sent": (
        "manager",
        lambda w, a: services.notification_mark_sent(
            actor=a, notification=_message(w, "failed").notification
        ),
        A.SENT,
    ),
    "notification_undo_sent": (
        "manager",
        lambda w, a: services.notification_undo_sent(
            actor=a, notification=_sent_notification(w), note="Bounced."
        ),
        A.UNDONE,
    ),
    "notifications_queue": (
        "manager",
        lambda w, a: services.notifications_queue(
            actor=a, referral=(r := w.decided()).referral, review=r, kind="report", bodies=w.cast["bodies"]
        ),
        A.QUEUED,
    ),
    "ofsted_pack_prepare": (
        "manager",
        lambda w, a: services.ofsted_pack_prepare(actor=a, review=w.at(S.ACTION_PLAN)),
        A.CREATED,
    ),
    "overview_author_commission": (
        "manager",
        lambda w, a: services.overview_author_commission(
            actor=a, review=w.at(S.IMRS_SUBMITTED), author=w.cast["overview"]
        ),
        A.ASSIGNED,
    ),
    "overview_sign_declaration": (
        "overview",
        lambda w, a: services.overview_sign_declaration(
            actor=a,
            review=services.overview_author_commission(
                actor=w.cast["manager"], review=w.at(S.IMRS_SUBMITTED), author=a
            ),
        ),
        A.SIGNED,
    ),
    "overview_report_upload": (
        "overview",
        lambda w, a: services.overview_report_upload(
            actor=a, review=w.at(S.OVERVIEW), content=text_pdf("Overview report"), filename="overview.pdf"
        ),
        A.CREATED,
    ),
    "overview_share_grant": (
        "chair",
        lambda w, a: services.overview_share_grant(
            actor=a, review=w.ready(w.at(S.TOR_DRAFTING)), shared_with=w.cast["agencymanager"]
        ),
        A.GRANTED,
    ),
    "overview_share_revoke": (
        "chair",
        lambda w, a: services.overview_share_revoke(
            actor=a,
            share=services.overview_share_grant(
                actor=a, review=w.ready(w.at(S.TOR_DRAFTING)), shared_with=w.cast["agencymanager"]
            ),
        ),
        A.REVOKED,
    ),
    "participation_secure_files": (
        "agencymanager",
        lambda w, a: services.participation_secure_files(
            actor=a,
            participation=w.at(S.AGENCIES_ENGAGED).participations.get(agency=w.cast["hospital"]),
            originals_location="Records room",
            copies_made=True,
        ),
        A.CHANGED,
    ),
    "police_advice_record": (
        "manager",
        lambda w, a: services.police_advice_record(
            actor=a, review=w.decided(), given_on=TODAY(), source="SIO", advice="Do not discuss the night."
        ),
        A.CREATED,
    ),
    "recommendation_add": (
        "overview",
        lambda w, a: services.recommendation_add(
            actor=a, review=w.ready(w.at(S.OVERVIEW)), text="Share more."
        ),
        A.CREATED,
    ),
    "recommendation_change": (
        "overview",
        lambda w, a: services.recommendation_change(
            actor=a,
            recommendation=w.ready(w.at(S.OVERVIEW)).recommendations.get(imr__isnull=True),
            text="Share more, sooner.",
        ),
        A.CHANGED,
    ),
    "recommendation_themes_set": (
        "qa",
        lambda w, a: services.recommendation_themes_set(
            actor=a,
            recommendation=w.ready(w.at(S.ACTION_PLAN)).recommendations.get(imr__isnull=True),
            themes=[ThemeFactory(name="Neglect")],
        ),
        A.CHANGED,
    ),
    "referral_decide": (
        "chair",
        lambda w, a: services.referral_decide(
            actor=a,
            referral=w.referral(),
            held_on=TODAY(),
            attendees=[a],
            criteria=dict.fromkeys(
                ["criterion_a", "criterion_c", "criterion_d", "criterion_e", "criterion_f"], False
            )
            | {"criterion_b": True},
            outcome="none",
            rationale="Single-agency learning only.",
        ),
        A.DECIDED,
    ),
    "referral_decision_correct": (
        "chair",
        lambda w, a: services.referral_decision_correct(
            actor=a,
            decision=w.decided("case").referral.decision,
            criteria=dict.fromkeys(
                ["criterion_a", "criterion_c", "criterion_d", "criterion_e", "criterion_f"], False
            )
            | {"criterion_b": True},
            outcome="scr",
            rationale="The injury was life-threatening.",
            reason="Recorded as a case review by mistake.",
        ),
        A.CORRECTED,
    ),
    "referral_log": ("referrer", lambda w, a: w.referral(), A.CREATED),
    "review_extend": (
        "manager",
        lambda w, a: services.review_extend(
            actor=a,
            review=(r := w.decided()),
            new_due_date=r.due_date + 30 * DAY,
            reason="Police.",
            agreed_by="Chair",
        ),
        A.CHANGED,
    ),
    "review_move": (
        "manager",
        lambda w, a: services.review_move(
            actor=a, review=w.ready(w.at(S.TOR_AGREED)), move="engage_agencies"
        ),
        A.MOVED,
    ),
    "review_record_ofsted_grade": (
        "manager",
        lambda w, a: services.review_record_ofsted_grade(
            actor=a, review=w.at(S.WITH_OFSTED), grade="good", feedback="Clear.", graded_on=TODAY()
        ),
        A.DECIDED,
    ),
    "review_set_police_investigation": (
        "manager",
        lambda w, a: services.review_set_police_investigation(actor=a, review=w.decided(), is_open=True),
        A.CHANGED,
    ),
    "summary_mark_sent_to_staff": (
        "manager",
        lambda w, a: services.summary_mark_sent_to_staff(actor=a, review=_published(w, a), sent_on=TODAY()),
        A.SENT,
    ),
    "summary_publish": (
        "manager",
        lambda w, a: services.summary_publish(
            actor=a, review=_drafted(w, a), publish_from=TODAY(), publish_until=TODAY() + 90 * DAY
        ),
        A.CHANGED,
    ),
    "summary_save": (
        "manager",
        lambda w, a: services.summary_save(
            actor=a, review=w.at(S.EXECUTIVE_SUMMARY), text="Lessons were learnt."
        ),
        A.CREATED,
    ),
    "pdf_request": (
        "author",
        lambda w, a: services.pdf_request(
            actor=a, kind="chronology", review=(e := _entry(w, a)).imr.participation.review, imr=e.imr
        ),
        A.REQUESTED,
    ),
    "pdf_render": (
        "author",
        lambda w, a: services.pdf_render(
            rendered=RenderedPdf.objects.create(
                kind="chronology",
                review=(imr := _entry(w, a).imr).participation.review,
                imr=imr,
                stamp=source_stamp("chronology", None, imr),
                requested_by=a,
            )
        ),
        A.PREPARED,
    ),
    "support_meeting_record": (
        "manager",
        lambda w, a: services.support_meeting_record(
            actor=a, review=w.decided(), kind=StaffSupportMeeting.Kind.BEGINNING, held_on=TODAY()
        ),
        A.CREATED,
    ),
    "theme_add": ("qa", lambda w, a: services.theme_add(actor=a, name="Neglect"), A.CREATED),
    "theme_change": (
        "qa",
        lambda w, a: services.theme_change(actor=a, theme=ThemeFactory(name="Neglect"), retired=True),
        A.CHANGED,
    ),
    "tor_freeze_pdf": (
        "chair",
        lambda w, a: services.tor_freeze_pdf(review=w.at(S.TOR_AGREED), content=b"%PDF-1.7 frozen"),
        A.CREATED,
    ),
    "tor_update": (
        "chair",
        lambda w, a: services.tor_update(
            actor=a,
            review=w.at(S.TOR_DRAFTING),
            period_start=TODAY() - 100 * DAY,
            period_end=TODAY() - 3 * DAY,
            focus_areas=["Was the injury recognised?"],
            agencies=[w.cast["hospital"]],
        ),
        A.CHANGED,
    ),
}


def _drafted(walk, actor):
    review = walk.at(S.EXECUTIVE_SUMMARY)
    services.summary_save(actor=actor, review=review, text="Lessons were learnt.")
    return review


def _published(walk, actor):
    review = _drafted(walk, actor)
    services.summary_publish(actor=actor, review=review, publish_from=TODAY(), publish_until=None)
    return review


def test_every_service_has_an_audit_entry():
    public = {name for name in services.__all__ if name not in SUPPORT}
    assert public == set(CALLS), "a public service without its audit entry, or an entry without its service"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CALLS))
def test_service_writes_its_audit_row(walk, external_bodies, name):
    who, call, action = CALLS[name]
    walk.cast["bodies"] = external_bodies
    actor = walk.cast[who] if who else None
    # Everything the scenario itself does is written too; only the rows after the last one count.
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    originals = AuditEvent.objects.count()
    call(walk, actor)
    written = AuditEvent.objects.filter(pk__gt=before, action=action)
    assert AuditEvent.objects.count() > originals
    assert written.exists(), f"{name} wrote no “{action.label}” row"
    last = written.order_by("-pk").first()
    if name == "tor_freeze_pdf":
        assert last.actor == walk.cast["chair"]  # the frozen copy is the chair's agreement
    else:
        assert last.actor == actor


def test_audit_rows_take_only_action_members(db, walk):
    review = walk.decided()
    with pytest.raises(TypeError):
        services.audit_record(actor=walk.cast["chair"], action="viewed", obj=review, summary="x")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("state", "move", "kind"),
    [
        (S.TOR_DRAFTING, "agree_terms_of_reference", Milestone.Kind.TOR_AGREED),
        (S.IMRS_IN_PROGRESS, "complete_imrs", Milestone.Kind.IMRS_SUBMITTED),
        (S.OVERVIEW, "send_to_board", Milestone.Kind.OVERVIEW_TO_BOARD),
        (S.EXECUTIVE_SUMMARY, "close", Milestone.Kind.REVIEW_COMPLETE),
    ],
)
def test_a_move_marks_its_milestone_done_and_writes_a_moved_row(walk, state, move, kind):
    from tests.walk import NEXT_MOVE

    review = walk.ready(walk.at(state))
    assert review.milestones.get(kind=kind).done_on is None
    services.review_move(actor=walk.cast[NEXT_MOVE[state][1]], review=review, move=move)
    assert review.milestones.get(kind=kind).done_on == TODAY()
    row = AuditEvent.objects.filter(review=review, action=A.MOVED).latest("pk")
    moved = type(review).objects.get(pk=review.pk)
    assert (row.object_type, row.summary) == (
        "reviews.review",
        f"{move_label(review, move)}: from “{state.label}” to “{moved.get_state_display()}”",
    )


@pytest.mark.django_db
def test_a_refused_move_is_recorded_after_its_rollback(walk):
    review = walk.at(S.TOR_AGREED)
    with pytest.raises(services.ActionNotAllowed):
        services.review_move(actor=walk.cast["manager"], review=review, move="start_imrs")
    row = AuditEvent.objects.filter(review=review, action=A.REFUSED).get()
    assert row.summary == (
        "“Start the IMRs” refused: Review is at “Terms of reference agreed and shared”: "
        "“Start the IMRs” can only be done at “Agencies engaged”."
    )
    assert type(review).objects.get(pk=review.pk).state == S.TOR_AGREED
    assert row.actor == walk.cast["manager"]
