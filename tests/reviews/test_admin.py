"""The admin edits reference data only: everything else is read-only there, and real identities never show."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from agencies.models import Agency, User
from reviews import models as m
from reviews import services
from reviews.models import ReviewState

REFERENCE = "reference data: a superuser adds, changes and deletes"
READ_ONLY = "history: nobody adds, changes or deletes, not even a superuser"

# Every model the admin may show, with the decision taken for it. A model registered
# in the admin without a row here fails test_admin_permissions_follow_the_decision.
DECISIONS = {
    "agencies.Agency": REFERENCE,
    "agencies.User": REFERENCE,
    "auth.Group": REFERENCE,
    "reviews.ExternalBody": REFERENCE,
    "reviews.ActionItem": READ_ONLY,
    "reviews.ActionPlan": READ_ONLY,
    "reviews.AgencyParticipation": READ_ONLY,
    "reviews.AuditEvent": READ_ONLY,
    "reviews.BoardDecision": READ_ONLY,
    "reviews.ChronologyEntry": READ_ONLY,
    "reviews.CounsellingOffer": READ_ONLY,
    "reviews.Document": READ_ONLY,
    "reviews.DocumentVersion": READ_ONLY,
    "reviews.ExecutiveSummary": READ_ONLY,
    "reviews.Extension": READ_ONLY,
    "reviews.FocusArea": READ_ONLY,
    "reviews.IMR": READ_ONLY,
    "reviews.Interview": READ_ONLY,
    "reviews.InvolvedStaff": READ_ONLY,
    "reviews.InvolvedStaffRevision": READ_ONLY,
    "reviews.PanelDecisionRevision": READ_ONLY,
    "reviews.ReferenceCounter": READ_ONLY,
    "reviews.Milestone": READ_ONLY,
    "reviews.MonitoringNote": READ_ONLY,
    "reviews.ProgressUpdate": READ_ONLY,
    "reviews.Notification": READ_ONLY,
    "reviews.OutboxMessage": READ_ONLY,
    "reviews.OverviewShare": READ_ONLY,
    "reviews.PanelDecision": READ_ONLY,
    "reviews.PanelMeeting": READ_ONLY,
    "reviews.PoliceAdvice": READ_ONLY,
    "reviews.Recommendation": READ_ONLY,
    "reviews.Referral": READ_ONLY,
    "reviews.RenderedPdf": READ_ONLY,
    "reviews.Review": READ_ONLY,
    "reviews.StaffSupportMeeting": READ_ONLY,
    "reviews.TermsOfReference": READ_ONLY,
    # Kept by the QA sub-group on its themes page, through the services that audit each change.
    "reviews.Theme": READ_ONLY,
    # Not in the admin today; decided in case someone registers them.
    "django_fsm_log.StateLog": READ_ONLY,
    # Holds staff addresses, which the admin keeps from view (as on InvolvedStaff).
    "reviews.SummaryRecipient": READ_ONLY,
    "guardian.UserObjectPermission": READ_ONLY,
    # Not in the admin: failed sign-ins are cleared on the Locked accounts page and authenticator
    # apps removed by their owner (or `manage.py two_factor_remove`), each in the audit log.
    "axes.AccessAttempt": READ_ONLY,
    "axes.AccessLog": READ_ONLY,
    "axes.AccessFailureLog": READ_ONLY,
    "otp_totp.TOTPDevice": READ_ONLY,
    "guardian.GroupObjectPermission": READ_ONLY,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.org", "correct horse battery staple")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_sign_in_records_are_not_in_the_admin():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not {AccessAttempt, AccessLog, AccessFailureLog, TOTPDevice} & set(REGISTERED)


def test_reference_data_is_agencies_people_roles_and_external_bodies():
    reference = {label for label, decision in DECISIONS.items() if decision == REFERENCE}
    assert reference == {"agencies.Agency", "agencies.User", "auth.Group", "reviews.ExternalBody"}
    assert {Agency, User, Group, m.ExternalBody} <= set(REGISTERED)


def test_every_model_of_the_reviews_app_but_external_bodies_is_read_only():
    from django.apps import apps

    labels = {model._meta.label for model in apps.get_app_config("reviews").get_models()}
    assert {label for label in labels if DECISIONS.get(label) != READ_ONLY} == {"reviews.ExternalBody"}


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_admin_permissions_follow_the_decision(model, superuser, client):
    label = model._meta.label
    assert label in DECISIONS, f"{label} is in the admin without a decision: reference data or read-only?"
    editable = DECISIONS[label] == REFERENCE
    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    inlines = [inline(model, admin.site) for inline in model_admin.inlines]
    assert model_admin.has_view_permission(request) is True
    assert model_admin.has_add_permission(request) is editable
    assert model_admin.has_change_permission(request) is editable
    assert model_admin.has_delete_permission(request) is editable
    for inline in inlines:
        assert inline.has_view_permission(request) is True, inline
        assert inline.has_add_permission(request, None) is editable, inline
        assert inline.has_change_permission(request) is editable, inline
        assert inline.has_delete_permission(request) is editable, inline
    # Support staff still have the list to read.
    client.force_login(superuser)
    changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert client.get(changelist).status_code == 200


# A superuser posting a rewrite of history


def admin_form_data(obj, **changes):
    """Return what the admin's change form would post for `obj`, with `changes` applied."""
    data = {}
    for field in [*obj._meta.concrete_fields, *obj._meta.many_to_many]:
        if not field.editable or field.primary_key:
            continue
        value = changes.get(field.name, field.value_from_object(obj))
        if isinstance(field, models.ManyToManyField):
            data[field.name] = [related.pk for related in value]
        elif isinstance(field, models.BooleanField):
            if value:
                data[field.name] = "on"
        elif value is None:
            data[field.name] = ""
        elif isinstance(field, models.DateTimeField):
            local = timezone.localtime(value)
            data[f"{field.name}_0"] = local.date().isoformat()
            data[f"{field.name}_1"] = local.time().replace(microsecond=0).isoformat()
        elif isinstance(field, models.DateField):
            data[field.name] = value.isoformat()
        else:
            data[field.name] = str(value)
    return data


@pytest.fixture
def history(walk):
    """A review with IMRs submitted, files secured, staff recorded, a panel decision and an extension."""
    review = walk.at(m.ReviewState.IMRS_SUBMITTED)
    services.review_extend(
        actor=walk.cast["manager"],
        review=review,
        new_due_date=review.current_due_date + datetime.timedelta(days=60),
        reason="The police asked for a pause.",
        agreed_by="Chair of the board",
    )
    hospital = walk.cast["hospital"]
    return {
        "document": m.Document.objects.get(
            review=review, kind="imr_report", imr__participation__agency=hospital
        ),
        "extension": m.Extension.objects.get(review=review),
        "decision": m.PanelDecision.objects.get(referral=review.referral),
        "staff": m.InvolvedStaff.objects.get(review=review, pseudonym="Health Visitor 1"),
        "participation": m.AgencyParticipation.objects.get(review=review, agency=hospital),
    }


ELSEWHEN = timezone.make_aware(datetime.datetime(2020, 1, 1, 9, 0))

REWRITES = [
    ("document", {"kind": "other"}, "kind"),
    ("extension", {"new_due_date": datetime.date(2099, 1, 1), "reason": "Rewritten."}, "new_due_date"),
    ("decision", {"outcome": "none", "rationale": "Rewritten."}, "outcome"),
    ("staff", {"real_name": "Someone Else", "pseudonym": "Health Visitor 9"}, "real_name"),
    ("participation", {"files_secured_at": ELSEWHEN}, "files_secured_at"),
]


def admin_url(obj, view):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "changes", "field"), REWRITES, ids=[row[0] for row in REWRITES])
def test_superuser_cannot_change_history(admin_client, history, name, changes, field):
    obj = history[name]
    before = getattr(obj, field)
    response = admin_client.post(admin_url(obj, "change"), admin_form_data(obj, **changes))
    assert response.status_code == 403
    obj.refresh_from_db()
    assert getattr(obj, field) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", [row[0] for row in REWRITES])
def test_superuser_cannot_delete_or_add_history(admin_client, history, name):
    obj = history[name]
    model = type(obj)
    count = model.objects.count()
    assert admin_client.post(admin_url(obj, "delete"), {"post": "yes"}).status_code == 403
    add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
    assert admin_client.post(add, admin_form_data(obj)).status_code == 403
    assert model.objects.count() == count
    assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_superuser_cannot_grant_an_imr_in_the_admin(admin_client, history, walk):
    """Grants follow the assignment (access.md): the admin has no editor for them."""
    imr = history["participation"].imr
    other_author = walk.cast["author2"]
    for name in ["permissions", "permissions_manage_user", "permissions_manage_group"]:
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:reviews_imr_{name}", args=[imr.pk, other_author.pk])
    admin_client.post(
        f"/admin/reviews/imr/{imr.pk}/permissions/user-manage/{other_author.pk}/",
        {"permissions": ["view_imr", "change_imr"]},
    )
    other_author = User.objects.get(pk=other_author.pk)
    assert other_author.has_perm("reviews.view_imr", imr) is False
    assert other_author.has_perm("reviews.change_imr", imr) is False


@pytest.mark.django_db
def test_superuser_reference_data_stays_editable(admin_client, external_bodies):
    body = external_bodies[0]
    response = admin_client.post(
        admin_url(body, "change"), admin_form_data(body, email="reports@ofsted.example.org")
    )
    assert response.status_code == 302
    body.refresh_from_db()
    assert body.email == "reports@ofsted.example.org"


# Real identities


REAL_NAMES = ["Sandra Bell", "Ellie Carter", "Dawn Carter", "Liam Carter"]


@pytest.fixture
def named(walk):
    review = walk.ready(walk.at(ReviewState.TOR_DRAFTING))
    staff = review.involved_staff.get(pseudonym="Health Visitor 1")
    m.InvolvedStaff.objects.filter(pk=staff.pk).update(email="sandra.bell@nhs.example.org")
    return {"review": review, "staff": staff, "referral": review.referral}


def admin_pages(named):
    staff, referral, review = named["staff"], named["referral"], named["review"]
    return [
        reverse("admin:reviews_involvedstaff_changelist"),
        admin_url(staff, "change"),
        reverse("admin:reviews_referral_changelist"),
        admin_url(referral, "change"),
        admin_url(review, "change"),
        reverse("admin:reviews_staffsupportmeeting_changelist"),
        admin_url(review.support_meetings.get(), "change"),
    ]


@pytest.mark.django_db
def test_admin_pages_never_show_real_identities(admin_client, named):
    for url in admin_pages(named):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert [name for name in REAL_NAMES if name in page] == [], url
        assert "sandra.bell@nhs.example.org" not in page, url
    page = admin_client.get(admin_url(named["staff"], "change")).content.decode()
    assert "Health Visitor 1" in page and "Health visitor" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changelist", "query", "found"),
    [
        ("reviews_involvedstaff", "Health Visitor 1", 1),
        ("reviews_involvedstaff", "Sandra", 0),
        ("reviews_involvedstaff", "sandra.bell", 0),
        ("reviews_referral", "REF", 2),
        ("reviews_referral", "Ellie", 0),
        ("reviews_referral", "Dawn", 0),
    ],
)
def test_admin_search_finds_references_not_people(admin_client, named, walk, changelist, query, found):
    walk.referral()
    response = admin_client.get(reverse(f"admin:{changelist}_changelist"), {"q": query})
    assert response.status_code == 200
    assert response.context["cl"].result_count == found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changelist", "lookup"),
    [
        ("reviews_involvedstaff", {"real_name__startswith": "S"}),
        ("reviews_involvedstaff", {"email__contains": "bell"}),
        ("reviews_involvedstaff", {"user__isnull": "False"}),
        ("reviews_referral", {"child_name__startswith": "E"}),
        ("reviews_referral", {"family_members__contains": "Dawn"}),
    ],
)
def test_admin_refuses_to_filter_on_real_identities(admin_client, named, changelist, lookup):
    """A filter in the address would tell, one letter at a time, what the page does not show."""
    response = admin_client.get(reverse(f"admin:{changelist}_changelist"), lookup)
    assert response.status_code == 400


def test_no_free_text_of_a_review_record_shows_in_the_admin():
    """Summaries, rationales, notes and chronologies are read in the product, where each look is audited."""
    from django.db.models import TextField

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label != "reviews" or model is m.ExternalBody:
            continue
        text = {f.name for f in model._meta.fields if isinstance(f, TextField)}
        shown = set(model_admin.list_display) | set(model_admin.search_fields) | set(model_admin.list_filter)
        assert not text & shown, model
        assert text <= set(model_admin.get_exclude(None) or ()), model
        for inline in model_admin.inlines:
            assert not text & set(inline.fields or ()), inline


@pytest.mark.django_db
def test_the_admin_never_shows_a_referrals_summary_or_a_chronology(admin_client, walk):
    from reviews.models import ChronologyEntry

    review = walk.at(m.ReviewState.IMRS_SUBMITTED)
    entry = ChronologyEntry.objects.filter(imr__participation__review=review).first()
    pages = [
        admin_client.get(reverse("admin:reviews_referral_change", args=[review.referral_id])),
        admin_client.get(reverse("admin:reviews_chronologyentry_change", args=[entry.pk])),
        admin_client.get(reverse("admin:reviews_referral_changelist"), {"summary__contains": "skull"}),
    ]
    assert [page.status_code for page in pages] == [200, 200, 400]
    for page in pages[:2]:
        html = page.content.decode()
        assert "Admitted with a fractured skull." not in html
        assert "bruise seen on the child" not in html
