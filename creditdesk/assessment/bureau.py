"""Credit bureau (征信机构) adapters: the query interface and a deterministic simulator (ASSESS-1, ADM-3, ADM-4).

Pure: no ORM, no clock, no network. The service layer checks the customer's credit-report authorization
(征信查询授权书) against the database, writes the query log and calls an adapter; adapters only translate.

《征信业管理条例》 Art. 18: a person's credit information is queried only with the subject's written consent and
an agreed purpose. So every adapter refuses a query without a consent reference or a purpose (`check_query`)
*before* anything is sent, whatever the service layer already checked; the refusal raises `BureauRefused`.

`SimulatedBureau` stands in for a licensed bureau (the PBoC Credit Reference Center or a market bureau such as
百行征信/朴道征信) in development, tests and the demo:

- **Deterministic**: the report is a function of the subject kind, the identifier (spaces removed, upper case)
  and the query date only: the same query gives the same report, any day, on any machine.
- **Realistic spread and correlations**: a hidden credit quality, the mean of two uniform draws, gives a
  triangular spread of scores over 450–850 (mode 650; about 28 % below 600, about 36 % at 680 or above). The lower
  the quality, the more overdue spells in 24 months, the more inquiries in 6 months and the higher the debts; only
  poor files carry an unpaid default, and only the poorest a fraud flag. Every 24-month delinquency is also an
  `overdue` bad record dated inside the last 24 months; some files carry an older overdue record (25–59 months
  ago: inside the 5-year keeping period of Art. 16, outside a 24-month look-back).
- **Failures on demand**, by the three characters before the last one of the identifier — for an 18-character
  resident ID number, its sequence code (顺序码, positions 15–17):
  `999` → `BureauTimeout`, `998` → `BureauUnavailable`, `997` → `BureauNoFile` (a person with no credit file,
  白户). Or for every query: `SimulatedBureau(fail_with=BureauTimeout)`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from creditdesk.assessment.rules import FRAUD, OVERDUE, UNPAID_DEBT, BadRecord
from creditdesk.core.masking import mask_credit_code, mask_id_number
from creditdesk.core.months import add_months

INDIVIDUAL = "individual"
COMPANY = "company"
SUBJECT_KINDS = (INDIVIDUAL, COMPANY)

MIN_SCORE = 450
MAX_SCORE = 850

TIMEOUT_PATTERN = "999"
UNAVAILABLE_PATTERN = "998"
NO_FILE_PATTERN = "997"


class BureauError(Exception):
    """The bureau did not give a report: every adapter failure is one of these."""


class BureauTimeout(BureauError):
    """The bureau did not answer in time; the query may be retried."""


class BureauUnavailable(BureauError):
    """The bureau answered with an error (maintenance, quota, bad gateway); the query may be retried."""


class BureauNoFile(BureauError):
    """The bureau holds no credit file on the subject (白户): no report, so no score (ADM-3 reads it as missing)."""


class BureauRefused(BureauError):
    """The query was refused before it was sent: no consent reference or no purpose (征信业管理条例 Art. 18)."""


@dataclass(frozen=True)
class BureauQuery:
    """One credit-report query (征信查询): whose file, under which written consent, for what purpose, on which date.

    `identifier` is the resident ID number of an individual or the unified social credit code of a company.
    `consent_reference` names the signed authorization (授权书) the query relies on; `purpose` is the agreed
    purpose (e.g. "loan_approval" 贷款审批, "post_loan_management" 贷后管理). `queried_on` is the business date,
    which dates the report (a report is as of the day it is drawn).
    """

    subject_kind: str  # "individual" | "company"
    identifier: str
    consent_reference: str
    purpose: str
    queried_on: dt.date


@dataclass(frozen=True)
class BureauReport:
    """A credit report (信用报告) as the assessment reads it; `raw` keeps the bureau's own fields for the file."""

    score: int
    delinquencies_24m: int  # overdue spells ended or ongoing in the last 24 months
    defaults: int  # debts in default, not repaid
    fraud_flag: bool
    current_debt_amount: Decimal
    monthly_debt_service_amount: Decimal
    inquiries_6m: int  # lenders' queries in the last 6 months (多头借贷 signal)
    bad_records: tuple[BadRecord, ...]
    raw: dict[str, Any]


class BureauAdapter(Protocol):
    """What every bureau integration provides: one query, one report, or a `BureauError`."""

    def query(self, q: BureauQuery) -> BureauReport: ...


def check_query(q: BureauQuery) -> None:
    """Refuse a query that must not be sent (Art. 18): no consent reference, no purpose, unknown subject kind."""
    if not q.consent_reference or not q.consent_reference.strip():
        raise BureauRefused("A credit query needs the subject's written consent: no consent reference given.")
    if not q.purpose or not q.purpose.strip():
        raise BureauRefused("A credit query needs an agreed purpose: no purpose given.")
    if q.subject_kind not in SUBJECT_KINDS:
        raise BureauRefused(f"Unknown subject kind {q.subject_kind!r}; expected one of {', '.join(SUBJECT_KINDS)}.")
    if not normalise_identifier(q.identifier):
        raise BureauRefused("A credit query needs the subject's identifier.")


def normalise_identifier(identifier: str) -> str:
    """The identifier as the bureau keys it: without spaces or hyphens, upper case (a check character 'x' is 'X')."""
    return "".join((identifier or "").split()).replace("-", "").upper()


class SimulatedBureau:
    """A deterministic stand-in for a credit bureau (see the module docstring for its patterns)."""

    def __init__(self, *, fail_with: type[BureauError] | None = None) -> None:
        if fail_with is not None and not (isinstance(fail_with, type) and issubclass(fail_with, BureauError)):
            raise TypeError(f"fail_with must be a BureauError subclass, not {fail_with!r}")
        self.fail_with = fail_with

    def query(self, q: BureauQuery) -> BureauReport:
        check_query(q)
        if self.fail_with is not None:
            raise self.fail_with(f"Simulated bureau failure ({self.fail_with.__name__}).")
        identifier = normalise_identifier(q.identifier)
        pattern = identifier[-4:-1]
        if pattern == TIMEOUT_PATTERN:
            raise BureauTimeout("The simulated bureau did not answer in time.")
        if pattern == UNAVAILABLE_PATTERN:
            raise BureauUnavailable("The simulated bureau is unavailable.")
        if pattern == NO_FILE_PATTERN:
            raise BureauNoFile("The simulated bureau holds no credit file on this subject.")
        return _simulated_report(q, identifier)


def _draw(seed: str, label: str) -> int:
    """A deterministic draw in [0, 10 000) for one named feature of one subject."""
    digest = hashlib.sha256(f"{seed}|{label}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % 10_000


def _yuan(whole: int) -> Decimal:
    return Decimal(f"{whole}.00")


def _simulated_report(q: BureauQuery, identifier: str) -> BureauReport:
    seed = f"{q.subject_kind}:{identifier}"
    quality = (_draw(seed, "quality-1") + _draw(seed, "quality-2")) // 2  # 0…9 999, triangular, mode 5 000
    risk = 9_999 - quality
    score = MIN_SCORE + (quality * (MAX_SCORE - MIN_SCORE) + 4_999) // 9_999

    # Each of 4 possible spells happens with probability 0.9·risk³: ~3.6 for the worst files, ~0.45 at score 650.
    delinquency_chance = risk**3 * 9 // 10**9
    spells = sum(1 for k in range(4) if _draw(seed, f"delinquency-{k}") < delinquency_chance)
    defaults = 1 if _draw(seed, "default") < max(0, risk - 6_000) * 2 else 0  # only when risk > 0.6
    fraud_flag = _draw(seed, "fraud") < max(0, risk - 8_000) * 3 // 2  # only when risk > 0.8
    inquiry_chance = 500 + risk // 2
    inquiries = sum(1 for k in range(10) if _draw(seed, f"inquiry-{k}") < inquiry_chance)

    # A quarter of files owe nothing; the others owe up to a cap that grows with the risk (20 % to 100 % of it).
    debt = 0
    if _draw(seed, "has-debt") >= 2_500:
        cap = (3_000_000 if q.subject_kind == COMPANY else 300_000) * (2_000 + risk * 8 // 10) // 10_000
        debt = cap * _draw(seed, "debt") // 10_000 // 100 * 100  # whole hundreds of yuan
    service = debt * (25 + 20 * _draw(seed, "service") // 10_000) // 1_000  # 2.5 %–4.5 % of the debt a month

    records: list[BadRecord] = [
        BadRecord(OVERDUE, add_months(q.queried_on, -(1 + _draw(seed, f"delinquency-month-{k}") % 23)))
        for k in range(spells)
    ]
    if _draw(seed, "old-overdue") < risk // 2:
        records.append(BadRecord(OVERDUE, add_months(q.queried_on, -(25 + _draw(seed, "old-month") % 35))))
    records.extend(BadRecord(UNPAID_DEBT, None) for _ in range(defaults))
    if fraud_flag:
        records.append(BadRecord(FRAUD, add_months(q.queried_on, -(1 + _draw(seed, "fraud-month") % 12))))

    masked = mask_credit_code(identifier) if q.subject_kind == COMPANY else mask_id_number(identifier)
    raw: dict[str, Any] = {
        "source": "simulator",
        "report_id": hashlib.sha256(f"{seed}|{q.queried_on.isoformat()}".encode()).hexdigest()[:16],
        "subject_kind": q.subject_kind,
        "identifier_masked": masked,
        "queried_on": q.queried_on.isoformat(),
        "consent_reference": q.consent_reference,
        "purpose": q.purpose,
        "score_range": [MIN_SCORE, MAX_SCORE],
    }
    return BureauReport(
        score=score,
        delinquencies_24m=spells,
        defaults=defaults,
        fraud_flag=fraud_flag,
        current_debt_amount=_yuan(debt),
        monthly_debt_service_amount=_yuan(service),
        inquiries_6m=inquiries,
        bad_records=tuple(records),
        raw=raw,
    )


_ADAPTERS: dict[str, Callable[[], BureauAdapter]] = {"simulator": SimulatedBureau}


def register_adapter(name: str, factory: Callable[[], BureauAdapter]) -> None:
    """Make an adapter available by name (a real integration registers itself, e.g. from its AppConfig.ready())."""
    _ADAPTERS[name] = factory


def get_adapter(name: str) -> BureauAdapter:
    """A fresh adapter registered under `name` ("simulator" out of the box); ValueError for an unknown name."""
    try:
        factory = _ADAPTERS[name]
    except KeyError:
        raise ValueError(f"Unknown credit bureau adapter {name!r}; known: {', '.join(sorted(_ADAPTERS))}.") from None
    return factory()
