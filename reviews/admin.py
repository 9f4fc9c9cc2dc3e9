"""The admin, for system administrators; day-to-day work happens on the product's own pages.

State fields are protected (they change only through the services), documents
and the audit log are read-only: nothing here can rewrite history.
"""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from reviews import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneInline(admin.TabularInline):
    model = m.Milestone
    extra = 0
    readonly_fields = ["kind", "due_on"]


class ExtensionInline(admin.TabularInline):
    model = m.Extension
    extra = 0
    readonly_fields = [
        "previous_due_date",
        "new_due_date",
        "reason",
        "agreed_by",
        "recorded_by",
        "recorded_at",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class ParticipationInline(admin.TabularInline):
    model = m.AgencyParticipation
    extra = 0
    fields = ["agency", "files_secured_at", "files_secured_by", "originals_location", "copies_made"]
    raw_id_fields = ["files_secured_by"]


@admin.register(m.Referral)
class ReferralAdmin(admin.ModelAdmin):
    list_display = ["reference", "referring_agency", "incident_kind", "incident_date", "received_at"]
    list_filter = ["incident_kind", "police_investigating"]
    search_fields = ["reference", "child_name"]
    readonly_fields = ["reference", "received_at"]
    filter_horizontal = ["agencies_involved"]


@admin.register(m.PanelMeeting)
class PanelMeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "chair"]
    filter_horizontal = ["attendees"]


@admin.register(m.PanelDecision)
class PanelDecisionAdmin(admin.ModelAdmin):
    list_display = ["referral", "outcome", "criterion_a", "decided_at"]
    list_filter = ["outcome", "criterion_a"]
    readonly_fields = ["decided_at"]


@admin.register(m.Review)
class ReviewAdmin(GuardedModelAdmin):
    list_display = [
        "reference",
        "review_type",
        "state",
        "decision_date",
        "current_due_date",
        "police_investigation_open",
    ]
    list_filter = ["review_type", "state", "police_investigation_open"]
    search_fields = ["reference"]
    readonly_fields = [
        "state",
        "reference",
        "referral",
        "decision_date",
        "due_date",
        "current_due_date",
        "created_at",
        "updated_at",
    ]
    inlines = [MilestoneInline, ExtensionInline, ParticipationInline]


@admin.register(m.IMR)
class IMRAdmin(GuardedModelAdmin):
    list_display = ["__str__", "author", "state", "submitted_at"]
    list_filter = ["state"]
    readonly_fields = ["state", "participation", "author", "nominated_by", "nominated_at", "submitted_at"]


@admin.register(m.ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["description", "plan", "owner", "due_on", "state"]
    list_filter = ["state"]
    readonly_fields = ["state", "completed_on"]


@admin.register(m.Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "review", "kind", "created_at"]
    list_filter = ["kind"]


admin.site.register(m.DocumentVersion, ReadOnlyAdmin)
admin.site.register(m.AuditEvent, ReadOnlyAdmin)

for model in [
    m.Milestone,
    m.Extension,
    m.InvolvedStaff,
    m.StaffSupportMeeting,
    m.CounsellingOffer,
    m.PoliceAdvice,
    m.BoardDecision,
    m.OverviewShare,
    m.ExecutiveSummary,
    m.TermsOfReference,
    m.FocusArea,
    m.AgencyParticipation,
    m.Interview,
    m.ChronologyEntry,
    m.Recommendation,
    m.ActionPlan,
    m.MonitoringNote,
    m.ExternalBody,
    m.Notification,
]:
    admin.site.register(model)
