from .action_plan import ActionItem, ActionPlan, ActionState, MonitoringNote, ProgressUpdate, Recommendation
from .audit import AuditEvent
from .chronology import ChronologyEntry, ContactType, WithWhom
from .documents import Document, DocumentVersion
from .imr import IMR, IMRState, Interview
from .notifications import ExternalBody, Notification, NotificationKind
from .outbox import OutboxMessage
from .participation import AgencyParticipation
from .pdfs import RenderedPdf
from .publication import BoardDecision, ExecutiveSummary, OverviewShare, SummaryRecipient
from .references import ReferenceCounter
from .referral import PanelDecision, PanelDecisionRevision, PanelMeeting, Referral
from .review import Review, ReviewState, ReviewType
from .staff import CounsellingOffer, InvolvedStaff, InvolvedStaffRevision, PoliceAdvice, StaffSupportMeeting
from .themes import Theme
from .timetable import Extension, Milestone
from .tor import FocusArea, TermsOfReference

__all__ = [
    "IMR",
    "ActionItem",
    "ActionPlan",
    "ActionState",
    "AgencyParticipation",
    "AuditEvent",
    "BoardDecision",
    "ChronologyEntry",
    "ContactType",
    "CounsellingOffer",
    "Document",
    "DocumentVersion",
    "ExecutiveSummary",
    "Extension",
    "ExternalBody",
    "FocusArea",
    "IMRState",
    "Interview",
    "InvolvedStaff",
    "InvolvedStaffRevision",
    "Milestone",
    "MonitoringNote",
    "Notification",
    "NotificationKind",
    "OutboxMessage",
    "OverviewShare",
    "PanelDecision",
    "PanelDecisionRevision",
    "PanelMeeting",
    "PoliceAdvice",
    "ProgressUpdate",
    "Recommendation",
    "ReferenceCounter",
    "Referral",
    "RenderedPdf",
    "Review",
    "ReviewState",
    "ReviewType",
    "StaffSupportMeeting",
    "SummaryRecipient",
    "TermsOfReference",
    "Theme",
    "WithWhom",
]
