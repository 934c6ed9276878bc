"""The client address behind our proxies: the right hop, ports stripped, garbage as one unknown client."""

import pytest
from django.test import RequestFactory

from checker.client_ip import UNKNOWN, client_ip, parse_address


def request_with(forwarded=None, remote="10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_address_our_load_balancer_appended_is_used():
    assert client_ip(request_with("6.6.6.6, 203.0.113.9")) == "203.0.113.9"


def test_without_the_header_the_peer_address_is_used():
    assert client_ip(request_with(remote="198.51.100.7")) == "198.51.100.7"


def test_with_two_trusted_hops_the_second_from_the_right_is_the_client(settings):
    settings.PROXY_HOPS = 2
    assert client_ip(request_with("6.6.6.6, 203.0.113.9, 10.0.0.5")) == "203.0.113.9"


def test_fewer_entries_than_trusted_hops_fall_back_to_the_peer(settings):
    settings.PROXY_HOPS = 2
    assert client_ip(request_with("203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("value", "address"),
    [
        ("1.2.3.4:5678", "1.2.3.4"),
        ("[::1]:80", "::1"),
        ("[::1]", "::1"),
        ("2001:db8::1", "2001:db8::1"),
        (" 203.0.113.9 ", "203.0.113.9"),
        ("garbage", UNKNOWN),
        ("unknown", UNKNOWN),
        ("999.1.1.1", UNKNOWN),
        ("", UNKNOWN),
        ("1.2.3.4:99999999", UNKNOWN),
        ("<script>", UNKNOWN),
    ],
)
def test_entries_are_read_as_addresses_or_one_unknown_client(value, address):
    assert parse_address(value) == address


BEHIND_PROXY = {"RATELIMIT_IP_META_KEY": "checker.client_ip.client_ip", "RATELIMIT_CHECKS": "3/m"}
GARBAGE = ["garbage", "unknown", "999.1.1.1", "bogus", "a.b.c.d", "::zz"]
HOSTILE = ["garbage", "unknown", "1.2.3.4:5678", "[::1]", "[::1]:80", "999.1.1.1", "", ",,,", "a, b, c"]
ROUTES = [
    ("/api/v1/check", {"data": b'{"text": "hi"}', "content_type": "application/json"}),
    ("/check", {"data": {"text": "hi"}}),
    ("/widget/check", {"data": {"text": "hi"}}),
]


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", HOSTILE)
@pytest.mark.parametrize(("path", "body"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_hostile_forwarded_header_is_never_a_500(client, settings, forwarded, path, body):
    for name, value in BEHIND_PROXY.items():
        setattr(settings, name, value)
    response = client.post(path, HTTP_X_FORWARDED_FOR=forwarded, **body)
    assert response.status_code in (200, 302, 400), response.status_code


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "body"), ROUTES, ids=[r[0] for r in ROUTES])
def test_a_fresh_fake_hop_per_request_does_not_escape_the_limit(client, settings, path, body):
    for name, value in BEHIND_PROXY.items():
        setattr(settings, name, value)
    statuses = [
        client.post(path, HTTP_X_FORWARDED_FOR=f"10.9.{i}.{i}, 203.0.113.9", **body).status_code for i in range(6)
    ]
    assert statuses[3:] == [429, 429, 429], statuses


@pytest.mark.django_db
def test_garbage_addresses_share_one_allowance(client, settings):
    for name, value in BEHIND_PROXY.items():
        setattr(settings, name, value)
    statuses = [client.post("/check", {"text": "hi"}, HTTP_X_FORWARDED_FOR=junk).status_code for junk in GARBAGE]
    assert statuses[3:] == [429, 429, 429], statuses
