from django.urls import path

from reviews.views import (
    activity,
    core,
    imr,
    notifications,
    participation,
    referrals,
    review,
    tor,
    tracker,
    worklists,
)

app_name = "reviews"
urlpatterns = [
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_create, name="referral-create"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/decision/", referrals.referral_decide, name="referral-decide"),
    path(
        "referrals/<int:pk>/decision/correct/",
        referrals.referral_decision_correct,
        name="referral-decision-correct",
    ),
    path("tracker/", tracker.tracker, name="tracker"),
    path("reviews/<int:pk>/", review.review_detail, name="review-detail"),
    path("reviews/<int:pk>/activity/", activity.review_activity, name="review-activity"),
    path("reviews/<int:pk>/moves/<slug:move>/", review.review_move, name="review-move"),
    path("reviews/<int:pk>/extend/", review.review_extend, name="review-extend"),
    path("reviews/<int:pk>/police-advice/", review.police_advice_add, name="police-advice-add"),
    path(
        "reviews/<int:pk>/police-investigation/",
        review.police_investigation_toggle,
        name="police-investigation",
    ),
    path("reviews/<int:pk>/staff/new/", review.involved_staff_add, name="involved-staff-add"),
    path(
        "reviews/<int:pk>/staff/<int:staff_pk>/correct/",
        review.involved_staff_correct,
        name="involved-staff-correct",
    ),
    path(
        "reviews/<int:pk>/staff/<int:staff_pk>/withdraw/",
        review.involved_staff_withdraw,
        name="involved-staff-withdraw",
    ),
    path("reviews/<int:pk>/staff/identities/", review.identity_register, name="identity-register"),
    path("reviews/<int:pk>/support-meetings/new/", review.support_meeting_add, name="support-meeting-add"),
    path("reviews/<int:pk>/counselling/new/", review.counselling_offer_add, name="counselling-offer-add"),
    path("notifications/<int:pk>/sent/", notifications.notification_mark_sent, name="notification-sent"),
    path("notifications/<int:pk>/undo/", notifications.notification_undo_sent, name="notification-undo"),
    path("reviews/<int:pk>/terms-of-reference/", tor.tor_edit, name="tor-edit"),
    path("reviews/<int:pk>/terms-of-reference/agree/", tor.tor_agree, name="tor-agree"),
    path("reviews/<int:pk>/terms-of-reference.pdf", tor.tor_pdf, name="tor-pdf"),
    path(
        "reviews/<int:pk>/agencies/<int:participation_pk>/files/",
        participation.participation_secure_files,
        name="participation-secure-files",
    ),
    path(
        "reviews/<int:pk>/agencies/<int:participation_pk>/author/",
        participation.participation_nominate,
        name="participation-nominate",
    ),
    path("imrs/", worklists.imr_list, name="imr-list"),
    path("agency/reviews/", worklists.participation_list, name="participation-list"),
    path("actions/", worklists.action_list, name="action-list"),
    path("imrs/<int:pk>/", imr.imr_detail, name="imr-detail"),
    path("imrs/<int:pk>/declaration/", imr.imr_declaration, name="imr-declaration"),
    path("imrs/<int:pk>/moves/<slug:move>/", imr.imr_move, name="imr-move"),
    path("documents/<int:pk>/download/", core.document_download, name="document-download"),
]
