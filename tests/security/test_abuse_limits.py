"""Abuse limits: login lock-out and cool-off, the shared rate limiter, the API throttle, headers on every page."""

from __future__ import annotations

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import RequestFactory

from techbridge.core.permissions import actor_for
from techbridge.core.security import ratelimit
from techbridge.core.security.ratelimit import ApiThrottle, RateLimited, check_rate
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR="203.0.113.9")


@pytest.mark.django_db
def test_login_lockout_after_failure_limit_even_with_right_password(client, member_a, settings):
    assert settings.AXES_FAILURE_LIMIT <= 100
    settings.ACCOUNT_RATE_LIMITS = False  # isolate axes from allauth's own (stricter, per-minute) limiter
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = _login(client, member_a.email, "wrong-password-123")
        assert response.status_code in (200, 429)
    locked = _login(client, member_a.email, "correct-horse-battery")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_lockout_lifts_after_cool_off(client, member_a, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, member_a.email, "wrong-password-123")
    assert _login(client, member_a.email, "correct-horse-battery").status_code == 429
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1, minutes=1))
    response = _login(client, member_a.email, "correct-horse-battery")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member_a.pk)


@pytest.mark.django_db
def test_login_below_limit_still_signs_in(client, member_a, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, member_a.email, "wrong-password-123")
    assert _login(client, member_a.email, "correct-horse-battery").status_code == 302


def test_check_rate_refuses_over_limit_with_retry_after():
    for _ in range(3):
        check_rate(key="test:a", limit=3, period=60)
    with pytest.raises(RateLimited) as caught:
        check_rate(key="test:a", limit=3, period=60)
    assert 1 <= caught.value.retry_after <= 60
    check_rate(key="test:b", limit=3, period=60)  # other keys are unaffected


def test_check_rate_window_reopens(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    check_rate(key="test:w", limit=1, period=10)
    with pytest.raises(RateLimited) as caught:
        check_rate(key="test:w", limit=1, period=10)
    assert caught.value.retry_after == 10
    now[0] += 10
    check_rate(key="test:w", limit=1, period=10)


def test_check_rate_rejects_nonsense_limits():
    with pytest.raises(ValueError):
        check_rate(key="x", limit=0, period=60)


@pytest.mark.django_db
def test_api_throttle_limits_per_user_and_per_address(settings, member_a, member_b):
    settings.TECHBRIDGE_API_RATE_USER = 2
    settings.TECHBRIDGE_API_RATE_ANON = 1
    throttle = ApiThrottle()
    request_a = RequestFactory().get("/api/v1/profiles")
    request_a.user = member_a
    assert throttle.allow_request(request_a) and throttle.allow_request(request_a)
    assert not throttle.allow_request(request_a)
    assert 1 <= throttle.wait() <= 60
    request_b = RequestFactory().get("/api/v1/profiles")
    request_b.user = member_b
    assert throttle.allow_request(request_b)
    anonymous = RequestFactory().get("/api/v1/profiles", REMOTE_ADDR="198.51.100.7")
    assert throttle.allow_request(anonymous)
    assert not throttle.allow_request(anonymous)


@pytest.mark.django_db
def test_meeting_requests_rate_limited_per_participant(monkeypatch):
    from techbridge.events.services import requests

    monkeypatch.setattr(requests, "MEETING_REQUESTS_PER_HOUR", 2)
    event = factories.event_with_slots()
    me = factories.approved_participant(event=event)
    others = [factories.approved_participant(event=event) for _ in range(3)]
    actor = actor_for(me.user)
    for other in others[:2]:
        requests.send_request(actor=actor, event=event, recipient=other, message="Meet?")
    with pytest.raises(RateLimited):
        requests.send_request(actor=actor, event=event, recipient=others[2], message="Meet?")
