"""Assertions about RFC 9457 problem details, the one shape of every error the API returns."""

PROBLEM_CONTENT_TYPE = "application/problem+json"


def assert_problem(response, status):
    """Assert the response is a problem details document with this status; return its body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    assert b"<html" not in response.content.lower()
    body = response.json()
    assert body["type"] == "about:blank"
    assert body["status"] == status
    assert isinstance(body["title"], str) and body["title"]
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def assert_invalid_parameter(response, parameter):
    """Assert the response is a 400 naming the query parameter, in `detail` and in `errors`."""
    body = assert_problem(response, 400)
    assert parameter in body["detail"]
    assert parameter in {error["parameter"] for error in body["errors"]}
    assert all(error["detail"] for error in body["errors"])
    return body
