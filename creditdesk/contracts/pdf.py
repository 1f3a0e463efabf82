"""The contract PDF (合同文本), CON-1: WeasyPrint renders the versioned HTML template with the Noto CJK font.

The text is `templates/contracts/pdf/contract_<text_version>.html`: a new wording is a new file and a new version,
so a contract always renders from the text it was made under. Everything printed comes from the contract's
snapshot, in Chinese whatever the reader's language; the APR is printed beside the contract rate, at the same
size and weight (PLAN-8, DOMAIN.md §3).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from creditdesk.assessment.choices import RepaymentMethod
from creditdesk.contracts.models import Contract
from creditdesk.lending.choices import FeeKind, RegistrationStatus


def context_of(contract: Contract) -> dict[str, Any]:
    snap = contract.snapshot
    mortgage = getattr(contract, "mortgage", None)
    return {
        "contract": contract,
        "s": snap,
        "lender_name": settings.CREDITDESK_LENDER_NAME,
        "method_label": str(RepaymentMethod(snap["method"]).label),
        "fees": [{**fee, "label": str(FeeKind(fee["kind"]).label)} for fee in snap.get("fees", [])],
        "mortgage_status": str(RegistrationStatus(mortgage.status).label) if mortgage is not None else "",
    }


def render_html(contract: Contract) -> str:
    with translation.override("zh-hans"):
        return render_to_string(f"contracts/pdf/contract_{contract.text_version}.html", context_of(contract))


def render_contract(contract: Contract) -> bytes:
    """The contract as a PDF; a signed contract answers the signed PDF that was kept."""
    if contract.signed_pdf:
        return bytes(contract.signed_pdf)
    from weasyprint import HTML  # imported here: loading pango and fonts is slow and only the PDF needs it

    document: bytes = HTML(string=render_html(contract)).write_pdf()
    return document
