from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        from api.worker import prepare_filesystem_queue

        prepare_filesystem_queue()
