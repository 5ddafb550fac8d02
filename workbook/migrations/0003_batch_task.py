from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("workbook", "0002_background_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="importbatch",
            name="task_id",
            field=models.CharField(
                blank=True, editable=False, max_length=64, verbose_name="后台任务编号"
            ),
        ),
    ]
