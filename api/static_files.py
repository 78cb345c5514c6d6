"""Static files (admin, API docs) under content-hashed names, so they can be cached for ever."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """
    Hashed names from collectstatic's manifest (bin/serve runs it); WhiteNoise serves them
    with a ten-year, immutable Cache-Control, since a changed file gets a new name.

    A file that was never collected (development, tests, a server started without bin/serve)
    keeps its plain name and is served from the installed apps with a short max-age, instead
    of breaking every page that links to it.
    """

    manifest_strict = False

    def stored_name(self, name):
        try:
            return super().stored_name(name)
        except ValueError:
            return name
