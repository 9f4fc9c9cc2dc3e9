"""References are allocated from one counter row per kind and year, not by reading the year's references."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from reviews.models import ReferenceCounter
from reviews.services.referral import next_reference


def allocate(prefix, year):
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        reference = next_reference(prefix, year)
    return reference, len(queries.captured_queries)


@pytest.mark.django_db
def test_the_next_reference_costs_the_same_queries_after_one_or_a_thousand():
    first, queries_at_first = allocate("REF", 2026)
    assert first == "REF-2026-001"
    ReferenceCounter.objects.filter(prefix="REF", year=2026).update(last_number=999)
    thousandth, queries_later = allocate("REF", 2026)
    assert thousandth == "REF-2026-1000"
    assert queries_later == queries_at_first
    # Another kind or year starts again from one.
    assert allocate("REF", 2027)[0] == "REF-2027-001"
    assert allocate("SCR", 2026)[0] == "SCR-2026-001"


@pytest.mark.django_db
def test_references_sort_as_people_count_them_past_999(cast):
    from reviews.models import Referral
    from reviews.models.references import reference_order
    from tests.factories import ReferralFactory

    for reference in ["REF-2026-1000", "REF-2026-999", "REF-2025-12000", "REF-2026-001", "CR-2026-010"]:
        ReferralFactory(
            reference=reference, referring_agency=cast["referrer"].agency, referred_by=cast["referrer"]
        )
    ordered = Referral.objects.order_by(reference_order()).values_list("reference", flat=True)
    assert list(ordered) == ["CR-2026-010", "REF-2025-12000", "REF-2026-001", "REF-2026-999", "REF-2026-1000"]
