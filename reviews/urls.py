from django.urls import path

from reviews.views import agencies, core, referrals, review, tor, tracker

app_name = "reviews"
urlpatterns = [
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/new/", referrals.referral_create, name="referral-create"),
    path("referrals/<int:pk>/", referrals.referral_detail, name="referral-detail"),
    path("referrals/<int:pk>/decision/", referrals.referral_decide, name="referral-decide"),
    path("tracker/", tracker.tracker, name="tracker"),
    path("reviews/<int:pk>/", review.review_detail, name="review-detail"),
    path("reviews/<int:pk>/moves/<slug:transition>/", review.review_move, name="review-move"),
    path("reviews/<int:pk>/extend/", review.review_extend, name="review-extend"),
    path("reviews/<int:pk>/police-advice/", review.police_advice_add, name="police-advice-add"),
    path(
        "reviews/<int:pk>/police-investigation/",
        review.police_investigation_toggle,
        name="police-investigation",
    ),
    path("reviews/<int:pk>/staff/new/", review.involved_staff_add, name="involved-staff-add"),
    path("reviews/<int:pk>/staff/identities/", review.identity_register, name="identity-register"),
    path("reviews/<int:pk>/support-meetings/new/", review.support_meeting_add, name="support-meeting-add"),
    path("reviews/<int:pk>/counselling/new/", review.counselling_offer_add, name="counselling-offer-add"),
    path(
        "notifications/<int:pk>/sent/",
        review.notification_send,
        name="notification-sent",
    ),
    path("reviews/<int:pk>/terms-of-reference/", tor.tor_edit, name="tor-edit"),
    path("reviews/<int:pk>/terms-of-reference/agree/", tor.tor_agree, name="tor-agree"),
    path("reviews/<int:pk>/terms-of-reference.pdf", tor.tor_pdf, name="tor-pdf"),
    path(
        "reviews/<int:pk>/agencies/<int:participation_pk>/files/",
        agencies.participation_secure_files,
        name="participation-secure-files",
    ),
    path(
        "reviews/<int:pk>/agencies/<int:participation_pk>/author/",
        agencies.participation_nominate,
        name="participation-nominate",
    ),
    path("imrs/<int:pk>/", core.imr_detail, name="imr-detail"),
    path("imrs/<int:pk>/declaration/", agencies.imr_declaration, name="imr-declaration"),
    path("imrs/<int:pk>/start/", agencies.imr_start, name="imr-start"),
    path("documents/<int:pk>/download/", core.document_download, name="document-download"),
]
