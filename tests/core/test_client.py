"""The client address: X-Forwarded-For only from the configured number of trusted proxies."""

import pytest
from django.test import RequestFactory

from core.client import client_address


def request(remote="10.0.0.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize("forwarded", [None, "6.6.6.6", "6.6.6.6, 7.7.7.7", "garbage"])
def test_without_trusted_proxies_the_header_is_ignored(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(forwarded=forwarded)) == "10.0.0.9"


def test_one_proxy_the_right_most_hop_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "6.6.6.6"; nginx appended the address it really saw.
    assert client_address(request(remote="127.0.0.1", forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_address(request(remote="127.0.0.1", forwarded="203.0.113.7")) == "203.0.113.7"


def test_two_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    got = client_address(request(remote="127.0.0.1", forwarded="6.6.6.6, 203.0.113.7, 10.1.1.1"))
    assert got == "203.0.113.7"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_one_proxy_but_no_usable_header_falls_back_to_the_socket(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(remote="127.0.0.1", forwarded=forwarded)) == "127.0.0.1"


def test_ipv6_is_kept_and_normalised(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_address(request(remote="::1", forwarded="2001:DB8::0:1")) == "2001:db8::1"
