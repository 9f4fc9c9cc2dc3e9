"""The admin, for system administrators; day-to-day work happens on the product's own pages.

The admin edits reference data only: agencies, people and their roles
(agencies/admin.py) and the external bodies the board notifies. Everything a
review records is history, written by the services with its audit row: here it
is read-only, even for a superuser, so nothing here can rewrite it. Corrections
will come as admin actions that call those services.

Real identities (the people behind the pseudonyms, the child and the family)
are never shown, searched or filtered on here.
"""

from django.contrib import admin
from django.db import models
from django.db.models.constants import LOOKUP_SEP

from reviews import models as m


def free_text_fields(model) -> list[str]:
    """A record's free text (summaries, rationales, notes, chronology): the case itself."""
    return [field.name for field in model._meta.fields if isinstance(field, models.TextField)]


class ReadOnlyAdmin(admin.ModelAdmin):
    """A view of history for support staff: no add, no change, no delete, for anyone.

    Fields in `exclude`, and every free-text field, are confidential: reading them
    is the product's business, where each look is checked and audited. They are
    neither shown here nor usable as a filter in the address, which would otherwise
    reveal them a letter at a time.
    """

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or ()), *free_text_fields(self.model)]

    def hidden(self) -> set[str]:
        return {*(self.exclude or ()), *free_text_fields(self.model)}

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split(LOOKUP_SEP)[0] in self.hidden():
            return False
        return super().lookup_allowed(lookup, value, request)


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MilestoneInline(ReadOnlyInline):
    model = m.Milestone
    fields = ["kind", "due_on", "done_on"]


class ExtensionInline(ReadOnlyInline):
    model = m.Extension
    fields = ["previous_due_date", "new_due_date", "agreed_by", "recorded_by", "recorded_at"]
    readonly_fields = ["recorded_at"]


class ParticipationInline(ReadOnlyInline):
    model = m.AgencyParticipation
    fields = ["agency", "files_secured_at", "files_secured_by", "originals_location", "copies_made"]


# Reference data


@admin.register(m.ExternalBody)
class ExternalBodyAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "email",
        "is_active",
        "receives_referral_notices",
        "receives_terms_of_reference",
        "receives_reports",
        "grades_reports",
    ]
    list_filter = ["is_active", "grades_reports"]
    search_fields = ["name", "email"]


# History: read-only


@admin.register(m.Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = ["reference", "referring_agency", "incident_kind", "incident_date", "received_at"]
    list_filter = ["incident_kind", "police_investigating", "referring_agency"]
    list_select_related = ["referring_agency"]
    search_fields = ["reference"]
    exclude = ["child_name", "family_members"]


@admin.register(m.PanelMeeting)
class PanelMeetingAdmin(ReadOnlyAdmin):
    list_display = ["held_on", "chair"]
    list_select_related = ["chair"]
    date_hierarchy = "held_on"


@admin.register(m.PanelDecision)
class PanelDecisionAdmin(ReadOnlyAdmin):
    list_display = ["referral", "outcome", "criterion_a", "decided_by", "decided_at"]
    list_filter = ["outcome", "criterion_a"]
    list_select_related = ["referral", "decided_by"]
    search_fields = ["referral__reference"]


@admin.register(m.Review)
class ReviewAdmin(ReadOnlyAdmin):
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
    inlines = [MilestoneInline, ExtensionInline, ParticipationInline]


@admin.register(m.IMR)
class IMRAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "author", "state", "submitted_at"]
    list_filter = ["state"]
    list_select_related = ["participation__agency", "participation__review", "author"]
    search_fields = ["participation__review__reference"]


@admin.register(m.ActionItem)
class ActionItemAdmin(ReadOnlyAdmin):
    list_display = ["pk", "plan", "owner", "due_on", "state"]
    list_filter = ["state"]
    search_fields = ["plan__review__reference"]


@admin.register(m.Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "review", "kind", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["review"]
    search_fields = ["review__reference"]


@admin.register(m.DocumentVersion)
class DocumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["document", "number", "original_filename", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["document", "uploaded_by"]
    search_fields = ["document__review__reference"]


@admin.register(m.AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "review", "summary"]
    list_filter = ["action", "object_type"]
    list_select_related = ["actor", "review"]
    search_fields = ["review__reference", "actor__username"]
    date_hierarchy = "at"


@admin.register(m.InvolvedStaff)
class InvolvedStaffAdmin(ReadOnlyAdmin):
    list_display = ["pseudonym", "role_title", "agency", "review"]
    list_filter = ["agency"]
    list_select_related = ["agency", "review"]
    search_fields = ["pseudonym", "review__reference"]
    # Who the person is: their name, address and account.
    exclude = ["real_name", "email", "user"]


@admin.register(m.Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "referral", "review", "status", "queued_at", "sent_at"]
    list_filter = ["status", "kind", "body"]
    list_select_related = ["body", "referral", "review"]
    search_fields = ["referral__reference"]


@admin.register(m.OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    # The bodies are read on the outbox page, not here.
    list_display = ["subject", "kind", "status", "attempts", "queued_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["review__reference", "idempotency_key"]
    exclude = ["body_text", "body_html"]


@admin.register(m.Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ["review", "kind", "due_on", "done_on"]
    list_filter = ["kind"]
    list_select_related = ["review"]


@admin.register(m.Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = ["review", "previous_due_date", "new_due_date", "agreed_by", "recorded_at"]
    list_select_related = ["review"]


@admin.register(m.AgencyParticipation)
class AgencyParticipationAdmin(ReadOnlyAdmin):
    list_display = ["review", "agency", "files_secured_at", "copies_made"]
    list_filter = ["agency"]
    list_select_related = ["review", "agency"]


@admin.register(m.Theme)
class ThemeAdmin(ReadOnlyAdmin):
    # The QA sub-group keeps the list on its own page, each change written to the audit log.
    list_display = ["name", "retired"]
    list_filter = ["retired"]
    search_fields = ["name"]


@admin.register(m.InvolvedStaffRevision)
class InvolvedStaffRevisionAdmin(ReadOnlyAdmin):
    # The earlier values of a correction hold a real name too: never shown here.
    exclude = ["real_name", "email"]
    list_display = ["staff", "pseudonym", "corrected_by", "corrected_at"]


for model in [
    m.PanelDecisionRevision,
    m.ReferenceCounter,
    m.StaffSupportMeeting,
    m.CounsellingOffer,
    m.PoliceAdvice,
    m.BoardDecision,
    m.OverviewShare,
    m.ExecutiveSummary,
    m.TermsOfReference,
    m.FocusArea,
    m.Interview,
    m.ChronologyEntry,
    m.Recommendation,
    m.ActionPlan,
    m.MonitoringNote,
    m.ProgressUpdate,
]:
    admin.site.register(model, ReadOnlyAdmin)
