from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "checker"
    verbose_name = "防骗体检"
    default_auto_field = "django.db.models.BigAutoField"
