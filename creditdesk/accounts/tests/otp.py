"""Test helpers for two-factor sign-in: a confirmed TOTP device, its current code, a verified session."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts.twofactor import current_code as code_for
from creditdesk.accounts.twofactor import needs_second_factor


def device_for(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator (made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test authenticator", confirmed=True)


def fresh_code(user: Any) -> str:
    """A code the user's device accepts now, even if the test already used this time step (django-otp refuses
    a code twice; a test that signs in twice within 30 seconds would otherwise fail by the clock)."""
    device = device_for(user)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return code_for(device)


def verify_session(client: Client, user: Any) -> Client:
    """Mark the client's session as having passed the second factor (what `django_otp.login` records)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device_for(user).persistent_id
    session.save()
    return client


def sign_in(client: Client, user: Any) -> Client:
    """`client.force_login` plus the second factor when the user needs one (privileged roles always do)."""
    client.force_login(user)
    if needs_second_factor(user):
        verify_session(client, user)
    return client
