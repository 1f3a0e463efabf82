"""The e-signature adapter (电子签章接口), CON-4: an interface, a deterministic simulator, a place for the real one.

`adapter()` returns the adapter the `ESIGN_ADAPTER` setting names (a dotted path to a class; default the
simulator). The simulator is **a simulator**: it calls nobody, signs nothing cryptographically and is used by the
demo and the tests. Its signature ids are a hash of the document, the contract number, the signer and the time,
so the same call gives the same ids; the "signed" document is the PDF with a trailing comment that lists them.
A real integration (a licensed e-signature service) implements `ESignAdapter` and is named in the setting.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Signer:
    """One party who signs: their role on the contract, the customer and the name printed."""

    role: str
    customer_id: int
    name: str


@dataclass(frozen=True)
class SignResult:
    """What the adapter hands back: the signed document, one signature id per signer (in order), its own name."""

    signed_document: bytes
    signature_ids: tuple[str, ...]
    adapter: str


class ESignAdapter(Protocol):
    def sign(self, *, document: bytes, reference: str, signers: Sequence[Signer], signed_at: dt.datetime) -> SignResult:
        """Have every signer sign `document`; raise `core.errors.ServiceUnavailable` when the service is down."""
        ...


class SimulatedESign:
    """Deterministic simulator of an e-signature service (no network, no real signature)."""

    name = "simulator"

    def sign(self, *, document: bytes, reference: str, signers: Sequence[Signer], signed_at: dt.datetime) -> SignResult:
        digest = hashlib.sha256(document).hexdigest()
        ids = tuple(
            "SIM-"
            + hashlib.sha256(f"{digest}|{reference}|{s.role}|{s.customer_id}|{signed_at.isoformat()}".encode())
            .hexdigest()[:24]
            .upper()
            for s in signers
        )
        trailer = "".join(f"% creditdesk e-sign simulator {reference} {sid}\n" for sid in ids).encode("ascii")
        return SignResult(signed_document=document + b"\n" + trailer, signature_ids=ids, adapter=self.name)


def adapter() -> ESignAdapter:
    """The adapter in force (`ESIGN_ADAPTER`)."""
    cls = import_string(settings.ESIGN_ADAPTER)
    instance: ESignAdapter = cls()
    return instance
