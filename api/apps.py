from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # Before the WSGI handler loads its middleware and before any connection is opened:
        # both are instrumented here, when their settings are given, and left alone otherwise.
        from telemetry import error_reporting, tracing

        error_reporting.configure()
        tracing.configure()
        from api.worker import prepare_filesystem_queue

        prepare_filesystem_queue()
