"""Move the clock the code reads (django.utils.timezone.now) to test what time changes."""

import contextlib
import datetime
from unittest import mock

from django.utils import timezone

_real_now = timezone.now


@contextlib.contextmanager
def clock_moved(**delta):
    """Run the block as if `delta` (timedelta arguments) had passed."""
    moved = _real_now() + datetime.timedelta(**delta)
    with mock.patch("django.utils.timezone.now", return_value=moved):
        yield moved
