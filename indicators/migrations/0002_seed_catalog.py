"""Seed the indicator catalog with the six indicators every zone reports."""

from django.db import migrations

CATALOG = [
    # code, name, unit, kind, allows_negative, sort_order
    ("revenue", "营业收入", "万元", "flow", False, 10),
    ("industrial_output", "工业总产值", "万元", "flow", False, 20),
    ("tax", "税收收入", "万元", "flow", False, 30),
    ("fixed_asset_investment", "固定资产投资", "万元", "flow", False, 40),
    ("total_profit", "利润总额", "万元", "flow", True, 50),
    ("employees", "从业人员", "人", "stock", False, 60),
]


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for code, name, unit, kind, allows_negative, sort_order in CATALOG:
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "kind": kind,
                "allows_negative": allows_negative,
                "sort_order": sort_order,
                "is_active": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
