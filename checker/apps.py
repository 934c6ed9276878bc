from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "checker"
    verbose_name = "防骗体检"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from checker import checks  # noqa: F401 - registers the system checks
