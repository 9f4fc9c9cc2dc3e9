import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from agencies.models import Agency, User
from reviews.models import ExternalBody, Referral, Theme


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Agency.Kind.OTHER


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))
            assert self.groups.count() == len(extracted), f"unknown role in {extracted}"


class ExternalBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExternalBody
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Body {n}")
    email = factory.LazyAttribute(lambda o: f"{o.name.lower().replace(' ', '.')}@example.org")


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral as stored; tests that exercise logging go through `referral_log`."""

    class Meta:
        model = Referral
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"REF-TEST-{n:03d}")
    referring_agency = factory.SubFactory(AgencyFactory)
    referred_by = factory.SubFactory(UserFactory)
    child_name = "Child A"
    child_date_of_birth = datetime.date(2023, 5, 1)
    incident_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=5))
    incident_kind = Referral.IncidentKind.SERIOUS_INJURY
    summary = "Admitted with injuries that were not explained."
    police_investigating = False
    received_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=4))

    @factory.post_generation
    def agencies_involved(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies_involved.set(extracted)


class ThemeFactory(factory.django.DjangoModelFactory):
    """A theme as stored; tests of adding and changing one go through `theme_add` and `theme_change`."""

    class Meta:
        model = Theme
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Theme {n}")
    description = ""
    retired = False


def agreed_plan(review, agency):
    """The agency's action plan on `review`, its IMR submitted: the board and QA see its actions."""
    from django.utils import timezone

    from reviews.models import IMR, ActionPlan

    participation, _ = review.participations.get_or_create(agency=agency)
    if not IMR.objects.filter(participation=participation).exists():
        someone = review.referral.referred_by
        IMR.objects.create(
            participation=participation,
            author=someone,
            nominated_by=someone,
            nominated_at=timezone.now(),
            state="submitted",
            submitted_at=timezone.now(),
        )
    return ActionPlan.objects.get_or_create(review=review, agency=agency)[0]
