"""Every write that matters, one service each; each writes its audit row (see tests/reviews/services)."""

from .accounts import (
    lockout_clear,
    lockout_record,
    sign_in_failure_record,
    sign_in_record,
    sign_out_record,
    two_factor_confirm,
    two_factor_remove,
    two_factor_verify,
)
from .action_plan import action_item_add, recommendation_add, recommendation_change
from .audit import access_denied_record, confidential_view_record
from .chronology import (
    chronology_entry_add,
    chronology_entry_change,
    chronology_entry_delete,
    chronology_import,
)
from .common import ActionNotAllowed, audit_record
from .documents import document_add_version, document_create, imr_report_upload
from .imr import (
    imr_nominate_author,
    imr_record_feedback,
    imr_sign_declaration,
    interview_change,
    interview_delete,
    interview_record,
)
from .monitoring import (
    action_due_date_change,
    action_evidence_add,
    action_evidence_version_add,
    action_progress_record,
    monitoring_note_add,
)
from .moves import action_item_move, imr_move, review_move
from .notifications import notification_mark_sent, notification_undo_sent, notifications_queue
from .ofsted import ofsted_pack_prepare, review_record_ofsted_grade
from .outbox import notification_attach, outbox_deliver, outbox_resend
from .overview import (
    imr_critique_record,
    overview_author_commission,
    overview_report_upload,
    overview_share_grant,
    overview_share_revoke,
    overview_sign_declaration,
)
from .participation import participation_secure_files
from .pdfs import pdf_render, pdf_request
from .referral import referral_decide, referral_decision_correct, referral_log
from .reminders import reminders_queue
from .staff import (
    counselling_offer_record,
    involved_staff_add,
    involved_staff_correct,
    involved_staff_withdraw,
    police_advice_record,
    review_set_police_investigation,
    support_meeting_record,
)
from .summary import summary_mark_sent_to_staff, summary_publish, summary_save
from .themes import recommendation_themes_set, theme_add, theme_change
from .timetable import review_extend
from .tor import tor_freeze_pdf, tor_update

# Not services, but what callers catch and what the services use to write the log.
SUPPORT = ("ActionNotAllowed", "audit_record")

__all__ = [
    "ActionNotAllowed",
    "access_denied_record",
    "action_due_date_change",
    "action_evidence_add",
    "action_evidence_version_add",
    "action_item_add",
    "action_item_move",
    "action_progress_record",
    "audit_record",
    "chronology_entry_add",
    "chronology_entry_change",
    "chronology_entry_delete",
    "chronology_import",
    "confidential_view_record",
    "counselling_offer_record",
    "document_add_version",
    "document_create",
    "imr_critique_record",
    "imr_move",
    "imr_nominate_author",
    "imr_record_feedback",
    "imr_report_upload",
    "imr_sign_declaration",
    "interview_change",
    "interview_delete",
    "interview_record",
    "involved_staff_add",
    "involved_staff_correct",
    "involved_staff_withdraw",
    "lockout_clear",
    "lockout_record",
    "monitoring_note_add",
    "notification_attach",
    "notification_mark_sent",
    "notification_undo_sent",
    "notifications_queue",
    "ofsted_pack_prepare",
    "outbox_deliver",
    "outbox_resend",
    "overview_author_commission",
    "overview_report_upload",
    "overview_share_grant",
    "overview_share_revoke",
    "overview_sign_declaration",
    "participation_secure_files",
    "pdf_render",
    "pdf_request",
    "police_advice_record",
    "recommendation_add",
    "recommendation_change",
    "recommendation_themes_set",
    "referral_decide",
    "referral_decision_correct",
    "referral_log",
    "reminders_queue",
    "review_extend",
    "review_move",
    "review_record_ofsted_grade",
    "review_set_police_investigation",
    "sign_in_failure_record",
    "sign_in_record",
    "sign_out_record",
    "summary_mark_sent_to_staff",
    "summary_publish",
    "summary_save",
    "support_meeting_record",
    "theme_add",
    "theme_change",
    "tor_freeze_pdf",
    "tor_update",
    "two_factor_confirm",
    "two_factor_remove",
    "two_factor_verify",
]
