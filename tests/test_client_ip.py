from django.test import RequestFactory

from checker.client_ip import client_ip


def test_the_address_our_load_balancer_appended_is_used():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


def test_without_the_header_the_peer_address_is_used():
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.7")
    assert client_ip(request) == "198.51.100.7"
