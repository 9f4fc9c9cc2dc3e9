"""Start each reference counter at the highest number already given, so no reference is reused."""

from django.db import migrations


def seed_counters(apps, schema_editor):
    counters = {}
    for model_name in ("Referral", "Review"):
        model = apps.get_model("reviews", model_name)
        for reference in model.objects.values_list("reference", flat=True):
            prefix, _, rest = reference.partition("-")
            year, _, number = rest.partition("-")
            if year.isdigit() and number.isdigit():
                key = (prefix, int(year))
                counters[key] = max(counters.get(key, 0), int(number))
    ReferenceCounter = apps.get_model("reviews", "ReferenceCounter")
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(prefix=p, year=y, last_number=n) for (p, y), n in sorted(counters.items())]
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_audit_actions_corrections_counters")]

    operations = [migrations.RunPython(seed_counters, migrations.RunPython.noop)]
