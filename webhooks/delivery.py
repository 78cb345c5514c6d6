"""
Send one signed event to one endpoint, safely: the Standard Webhooks signature, no private
targets, no redirects, a bounded time and only a short excerpt of the answer kept.
"""

import base64
import hashlib
import hmac
import ipaddress
import json
import random
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

EXCERPT_CHARS = 500
USER_AGENT = "ketamine-content-api-webhooks/1"


class TargetRefused(Exception):
    """The endpoint's address may not be reached from here."""


def signature(secret, message_id, timestamp, body):
    """Return `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the decoded secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(secret, message_id, timestamp, body):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }


def encode_payload(payload):
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def is_public_address(address):
    address = ipaddress.ip_address(address)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def check_url(url):
    """Refuse what is not http(s) with a host; return (scheme, host, port)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise TargetRefused("The URL must be http:// or https:// with a host name.")
    if parts.username or parts.password:
        raise TargetRefused("The URL must not carry a user name or password.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefused(f"The URL's port is invalid: {error}.") from None
    return parts.scheme, parts.hostname, port


def resolve(host, port):
    """
    Return the addresses `host` resolves to, refusing all if any is private.

    Every address is checked, and the connection then goes to a checked one, so a name that
    resolves differently the second time (DNS rebinding) reaches nothing private.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise ConnectionError(f"Cannot resolve {host}: {error}") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        private = [address for address in addresses if not is_public_address(address)]
        if private:
            raise TargetRefused(
                f"{host} resolves to a private, loopback or link-local address "
                f"({', '.join(private)}); such targets are refused."
            )
    return addresses


@dataclass
class Attempt:
    status: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def succeeded(self):
        return self.status is not None and 200 <= self.status < 300


def post(url, body, headers):
    """POST `body` to `url` at a checked address; never raises for network trouble."""
    try:
        scheme, host, port = check_url(url)
        address = resolve(host, port)[0]
    except (TargetRefused, ConnectionError) as error:
        return Attempt(error=str(error))
    parts = urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += f"?{parts.query}"
    default_port = 443 if scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    if ":" in host and port == default_port:
        host_header = f"[{host}]"
    timeout = urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT_SECONDS)
    options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            ssl_context=ssl.create_default_context(),
            **options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **options)
    try:
        with pool:
            response = pool.urlopen(
                "POST",
                path,
                body=body,
                headers={**headers, "Host": host_header},
                redirect=False,
                preload_content=False,
                assert_same_host=False,
            )
            try:
                # The first bytes only: an endpoint's answer is not ours to store.
                excerpt = response.read(EXCERPT_CHARS * 4, decode_content=False)
            finally:
                response.release_conn()
                response.close()
    except urllib3.exceptions.HTTPError as error:
        return Attempt(error=f"{type(error).__name__}: {error}"[:EXCERPT_CHARS])
    text = excerpt.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    attempt = Attempt(status=response.status, excerpt=text)
    if 300 <= response.status < 400:
        attempt.error = "Redirects are not followed."
    elif not attempt.succeeded:
        attempt.error = f"The endpoint answered {response.status}."
    return attempt


def backoff_seconds(attempts):
    """Exponential backoff with jitter: base * 2^(n-1), capped, then between half and all."""
    ceiling = min(
        settings.WEBHOOK_RETRY_MAX_SECONDS,
        settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 30),
    )
    # Jitter spreads retries out; it needs no cryptographic randomness.
    return ceiling / 2 + random.uniform(0, ceiling / 2)  # noqa: S311  # nosec B311
