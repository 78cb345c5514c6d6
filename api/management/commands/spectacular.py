"""
drf-spectacular's `spectacular` command, writing YAML as the API serves it (api.renderers).

It takes the place of drf-spectacular's own because `api` comes before `drf_spectacular` in
INSTALLED_APPS, so `make schema` and every documented command keep their name.
"""

from drf_spectacular.management.commands import spectacular

from api.renderers import CompactYamlRenderer


class Command(spectacular.Command):
    def get_renderer(self, format):
        if format == "openapi":
            return CompactYamlRenderer()
        return super().get_renderer(format)
