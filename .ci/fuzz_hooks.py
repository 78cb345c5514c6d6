"""
Rules of the API that OpenAPI cannot state, as the fuzzer must know them (.ci/schemathesis.toml
loads this file).

A medical review date is a date up to today: a schema can bound a date only by a constant, so
a generated date in the future (a 400, as tests/test_content_writes.py checks) is moved to
yesterday before it is sent. The date stays schema-valid, so every check still judges the
answer.
"""

import datetime

import schemathesis


@schemathesis.hook
def before_call(context, case, **kwargs):
    body = case.body
    if not isinstance(body, dict) or not isinstance(body.get("last_reviewed"), str):
        return
    try:
        reviewed = datetime.date.fromisoformat(body["last_reviewed"])
    except ValueError:
        return  # not a date: the server must refuse it, and is checked on it
    # Yesterday in UTC is not in the future anywhere the server may be.
    yesterday = datetime.datetime.now(datetime.UTC).date() - datetime.timedelta(days=1)
    if reviewed > yesterday:
        body["last_reviewed"] = yesterday.isoformat()
