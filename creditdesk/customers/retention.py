"""Legal retention (法定保存期限) of what a customer's record holds: pure rules, no ORM.

A deletion request (PIPL Art. 47) deletes what no law still requires; where a retention period has not run out,
processing stops except storage and security (Art. 47 ¶2) and the record is anonymised when the longest period
that applies ends. `RETENTION` is the table docs/security.md shows; each row names its law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from creditdesk.core.months import add_months


@dataclass(frozen=True)
class RetentionRule:
    """One kind of record, how long it is kept and from when, and the law that says so."""

    code: str
    label: str
    months: int
    runs_from: str  # "relationship_end" or "record"
    law: str


RETENTION: tuple[RetentionRule, ...] = (
    RetentionRule(
        "identity",
        "客户身份资料",
        120,
        "relationship_end",
        "《反洗钱法》（2024 年修订）第 34 条：业务关系结束后至少保存 10 年",
    ),
    RetentionRule(
        "transactions",
        "交易记录",
        120,
        "relationship_end",
        "《反洗钱法》（2024 年修订）第 34 条：交易结束后至少保存 10 年",
    ),
    RetentionRule(
        "accounting",
        "会计凭证与账簿",
        360,
        "relationship_end",
        "《会计档案管理办法》（2015）第 14 条及附表：会计凭证、会计账簿保管 30 年",
    ),
    RetentionRule("collection", "催收记录", 60, "relationship_end", "催收记录至少保存 5 年（本公司催收管理制度）"),
    RetentionRule("logs", "操作与访问日志", 6, "record", "《网络安全法》第 21 条：网络日志留存不少于 6 个月"),
)


@dataclass(frozen=True)
class CustomerFacts:
    """What decides a customer's retention: when the relationship ended (None: still running) and which kinds of
    record they have (a customer without a loan has no transactions, accounting or collection records)."""

    relationship_ended_on: dt.date | None
    has_transactions: bool = False
    has_collection: bool = False


def applicable(facts: CustomerFacts) -> list[RetentionRule]:
    """The rules that apply to this customer's records."""
    rules = [RETENTION[0], RETENTION[4]]
    if facts.has_transactions:
        rules += [RETENTION[1], RETENTION[2]]
    if facts.has_collection:
        rules.append(RETENTION[3])
    return rules


def anonymise_on(facts: CustomerFacts) -> dt.date | None:
    """The first date the customer's personal information may be anonymised: when the longest applicable period
    counted from the end of the relationship has run out; None while the relationship goes on."""
    if facts.relationship_ended_on is None:
        return None
    months = max(rule.months for rule in applicable(facts) if rule.runs_from == "relationship_end")
    return add_months(facts.relationship_ended_on, months)
