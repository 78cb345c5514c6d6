"""The test settings with the throwaway type registered from the start, for a process of its own."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [
    "tests.fourth_type.registered.RegisteredFourthTypeConfig" if app == "tests.fourth_type" else app
    for app in INSTALLED_APPS  # noqa: F405
]
