"""Two-factor sign-in (双因素认证) with TOTP devices of django-otp."""

from __future__ import annotations

import base64
from io import BytesIO
from typing import Any

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from creditdesk.accounts.choices import PRIVILEGED_ROLES
from creditdesk.accounts.models import TwoFactorPolicy
from creditdesk.core.audit import record_event


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_privileged(user: Any) -> bool:
    """Whether the user is privileged: holds a privileged role (system administrator, information administrator,
    finance) or may enter the Django admin (superuser or staff flag), which is system administration whatever the
    roles say."""
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return bool(PRIVILEGED_ROLES & set(getattr(user, "role_codes", [])))


def required_by_policy(user: Any) -> bool:
    """Whether the user must sign in with two factors: always for privileged roles, else per role policy."""
    if is_privileged(user):
        return True
    return TwoFactorPolicy.objects.filter(role__in=user.role_codes, required=True).exists()


def needs_second_factor(user: Any) -> bool:
    """The one rule of two-factor sign-in: a user with a confirmed device always uses it; privileged roles and
    role policies make it compulsory (enrolment first, when there is no device yet)."""
    return required_by_policy(user) or has_device(user)


def verify_token(user: Any, token: str) -> TOTPDevice | None:
    """The user's confirmed device that accepts this code, or None.

    An empty code is not tried: every failed try throttles the device (django-otp), which would punish a client
    that merely forgot the field.
    """
    token = (token or "").strip()
    if not token:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            return device
    return None


@transaction.atomic
def device_start(*, user: Any) -> TOTPDevice:
    """A fresh unconfirmed TOTP device for enrolment (earlier unconfirmed ones are discarded)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


@transaction.atomic
def device_confirm(*, user: Any, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment with the first code the authenticator app shows."""
    if not device.verify_token((token or "").strip()):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(actor=user, subject=user, event_type="two_factor.enrolled")
    return True


@transaction.atomic
def device_seed(*, user: Any, secret: str, name: str) -> TOTPDevice:
    """A confirmed device with a known secret (base32), for the demo only: `creditdesk demo` under DEBUG."""
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=name, defaults={"key": base64.b32decode(secret).hex(), "confirmed": True}
    )
    return device


def current_code(device: TOTPDevice) -> str:
    """The code the device shows now (for `creditdesk demo-otp`; never shown in a page)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def qr_svg(device: TOTPDevice) -> str:
    """The enrolment QR code as an inline SVG data URL (no external service sees the secret)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")
