from django.apps import AppConfig


class FourthTypeConfig(AppConfig):
    name = "tests.fourth_type"
    label = "fourth_type"
    default_auto_field = "django.db.models.BigAutoField"
