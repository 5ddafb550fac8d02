from django.apps import AppConfig


class InvestmentConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "investment"
    verbose_name = "招商引资"
