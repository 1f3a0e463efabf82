"""Financial ratios (财务比率) of a corporate customer's statements: pure calculation, no ORM (STYLE rule 5, INFO-5).

INFO-5 keeps a company's balance sheet, income statement and cash-flow statement by period; the credit analyst
reads them through these ratios and their trend over periods:

- current ratio (流动比率) = current assets / current liabilities
- quick ratio (速动比率) = (current assets − inventories) / current liabilities
- debt-to-asset ratio (资产负债率) = total liabilities / total assets
- ROE (净资产收益率) = net profit / equity; the *average* of opening and closing equity when the previous period
  is given (the usual analysis convention, a simple form of the weighted-average ROE listed companies disclose:
  profit is earned over the whole period, and closing equity already contains it), the closing equity otherwise
- net margin (销售净利率) = net profit / revenue
- revenue growth (营业收入增长率) = (revenue − previous revenue) / previous revenue
- operating-cash-flow ratio (现金流动负债比率) = operating cash flow / current liabilities

Rounding: every ratio is a plain fraction (0.5321 = 53.21 %) rounded once, half up, to four decimals (hundredths of
a percent), which is what statements analysis shows; rates with six places (`core.money.quantize_rate`) are for
interest, where the extra places matter.

A ratio is None when a figure it needs is missing (None: a statement not supplied, e.g. no cash-flow statement
from a small company) or when its base (the denominator) is zero or negative: a current ratio over negative
liabilities or an ROE over negative equity (a loss over a deficit reads as a positive return) would mislead.
Amounts are yuan; ratios do not depend on the unit as long as one period uses one unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import to_decimal

RATIO_PLACES = Decimal("0.0001")


@dataclass(frozen=True, kw_only=True)
class StatementFigures:
    """One period's statement figures (财务报表数据), INFO-5, in yuan; None where the figure was not reported.

    Values are built with `core.money.to_decimal`, so strings and ints are accepted and floats are refused.
    """

    current_assets: Decimal | None  # 流动资产合计
    inventories: Decimal | None  # 存货
    total_assets: Decimal | None  # 资产总计
    current_liabilities: Decimal | None  # 流动负债合计
    total_liabilities: Decimal | None  # 负债合计
    equity: Decimal | None  # 所有者权益合计
    revenue: Decimal | None  # 营业收入
    net_profit: Decimal | None  # 净利润
    operating_cash_flow: Decimal | None  # 经营活动产生的现金流量净额

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if value is None:
                continue
            try:
                object.__setattr__(self, field.name, to_decimal(value))  # frozen: the only place values change
            except (TypeError, ValueError):
                raise ValidationFailed.on(field.name, _("Enter an amount in yuan.")) from None


@dataclass(frozen=True, kw_only=True)
class Ratios:
    """The financial ratios (财务比率) of one period, INFO-5: fractions with four decimals, None when undefined."""

    current_ratio: Decimal | None  # 流动比率
    quick_ratio: Decimal | None  # 速动比率
    debt_to_asset: Decimal | None  # 资产负债率
    roe: Decimal | None  # 净资产收益率
    net_margin: Decimal | None  # 销售净利率
    revenue_growth: Decimal | None  # 营业收入增长率
    operating_cash_flow_ratio: Decimal | None  # 现金流动负债比率


def ratios(current: StatementFigures, previous: StatementFigures | None = None) -> Ratios:
    """The ratios of `current` (INFO-5); `previous`, the period before, enables growth and average-equity ROE.

    ROE uses average equity (opening + closing) / 2 when the previous period's equity is known, else closing equity.
    """
    quick_assets = None
    if current.current_assets is not None and current.inventories is not None:
        quick_assets = current.current_assets - current.inventories
    equity_base = current.equity
    if previous is not None and previous.equity is not None and current.equity is not None:
        equity_base = (previous.equity + current.equity) / 2
    revenue_change = None
    previous_revenue = previous.revenue if previous is not None else None
    if previous_revenue is not None and current.revenue is not None:
        revenue_change = current.revenue - previous_revenue
    return Ratios(
        current_ratio=_ratio(current.current_assets, current.current_liabilities),
        quick_ratio=_ratio(quick_assets, current.current_liabilities),
        debt_to_asset=_ratio(current.total_liabilities, current.total_assets),
        roe=_ratio(current.net_profit, equity_base),
        net_margin=_ratio(current.net_profit, current.revenue),
        revenue_growth=_ratio(revenue_change, previous_revenue),
        operating_cash_flow_ratio=_ratio(current.operating_cash_flow, current.current_liabilities),
    )


def trend(periods: Sequence[tuple[str, StatementFigures]]) -> list[tuple[str, Ratios]]:
    """The ratios of every period, oldest first, each computed against the period before it (INFO-5).

    Periods are put in chronological order by their labels, so labels must sort as text in time order: ISO-style
    "2024", "2024-06", "2024Q2". Pass periods of one frequency (all years, or all quarters): the period before is
    the previous label, whatever its length. Two periods with the same label raise ValidationFailed.
    """
    ordered = sorted(periods, key=lambda period: period[0])
    labels = [label for label, _figures in ordered]
    if len(set(labels)) != len(labels):
        raise ValidationFailed.on("periods", _("Each period may appear only once."))
    result = []
    previous: StatementFigures | None = None
    for label, figures in ordered:
        result.append((label, ratios(figures, previous)))
        previous = figures
    return result


def _ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator rounded half up to four decimals; None when a figure is missing or the base ≤ 0."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return (numerator / denominator).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
