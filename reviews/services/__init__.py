from .action_plan import (
    action_item_add,
    action_item_complete,
    action_item_reopen,
    action_item_start,
    action_item_verify,
    monitoring_note_add,
    recommendation_add,
)
from .common import ActionNotAllowed, audit_record, run_transition
from .documents import document_add_version, document_create
from .imr import (
    chronology_entry_add,
    imr_accept,
    imr_record_feedback,
    imr_return_for_work,
    imr_start,
    imr_submit,
    interview_record,
)
from .notifications import notification_mark_sent, notifications_queue
from .participation import imr_nominate_author, imr_sign_declaration, participation_secure_files
from .referral import panel_meeting_record, referral_decide, referral_log, review_open
from .review import (
    counselling_offer_record,
    involved_staff_add,
    overview_author_commission,
    overview_sign_declaration,
    police_advice_record,
    review_board_decide,
    review_extend,
    review_move,
    review_set_police_investigation,
    support_meeting_record,
)
from .summary import (
    review_record_ofsted_grade,
    summary_mark_sent_to_staff,
    summary_publish,
    summary_save,
)
from .tor import tor_agree_and_share, tor_update

__all__ = [
    "ActionNotAllowed",
    "action_item_add",
    "action_item_complete",
    "action_item_reopen",
    "action_item_start",
    "action_item_verify",
    "audit_record",
    "chronology_entry_add",
    "counselling_offer_record",
    "document_add_version",
    "document_create",
    "imr_accept",
    "imr_nominate_author",
    "imr_record_feedback",
    "imr_return_for_work",
    "imr_sign_declaration",
    "imr_start",
    "imr_submit",
    "interview_record",
    "involved_staff_add",
    "monitoring_note_add",
    "notification_mark_sent",
    "notifications_queue",
    "overview_author_commission",
    "overview_sign_declaration",
    "panel_meeting_record",
    "participation_secure_files",
    "police_advice_record",
    "recommendation_add",
    "referral_decide",
    "referral_log",
    "review_board_decide",
    "review_extend",
    "review_move",
    "review_open",
    "review_record_ofsted_grade",
    "review_set_police_investigation",
    "run_transition",
    "summary_mark_sent_to_staff",
    "summary_publish",
    "summary_save",
    "support_meeting_record",
    "tor_agree_and_share",
    "tor_update",
]
