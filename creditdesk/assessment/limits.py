"""The one limit check (额度与期限校验) of a loan's figures: the checklist, admission rules, quotes and plans use it.

Before issue 11 there were four versions that disagreed: the checklist and the quote read the product's limits
one way, the plan another, and the plan measured the loan-to-value on the price only. Now every caller asks
`check()` with the same figures and gets the same breaches, in a fixed order; each caller words them for its
reader (a checklist item, a 422 field error, a rule result).

- Loan-to-value (贷款价值比) is the principal ÷ the **lower of the transaction price and the appraised value**
  wherever an appraisal exists (DOMAIN.md §1, 《汽车贷款管理办法》 2017: the used-car "price" is the lower of the two);
  without one, the price.
- Comparisons are exact: cross-multiplied as fractions (principal ≤ cap × base) rather than a rounded quotient;
  the figure shown (`ratio_up`) is rounded **up** to 4 places so it never understates the risk.
- Boundaries are inclusive: an LTV exactly at the cap and a term exactly at the maximum pass.
- A regulatory cap (`Cap`: the law's maximum LTV and term, extensions included) is checked beside the product's
  limits; the product and the admission policy may be stricter, never looser (the configuration refuses it).

Pure: no ORM, no clock (STYLE rule 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, localcontext
from fractions import Fraction

RATIO_PLACES = Decimal("0.0001")

# Breach codes, in the order `check()` reports them.
AMOUNT = "product.amount"
TERM = "product.term"
METHOD = "product.method"
PRODUCT_LTV = "product.ltv"
CAP_LTV = "regulatory.ltv"
CAP_TERM = "regulatory.term"


@dataclass(frozen=True)
class Cap:
    """A regulatory cap (监管上限) in force: the highest LTV (None: none) and longest term incl. extensions."""

    max_ltv: Decimal | None
    max_term_months: int | None
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ProductLimits:
    """The product's limits (产品条件) that a loan's figures must respect; None or empty: not limited."""

    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    allowed_terms: tuple[int, ...] = ()
    allowed_methods: tuple[str, ...] = ()
    max_ltv: Decimal | None = None

    @classmethod
    def of(cls, product: object) -> ProductLimits:
        """From any product-like object (`lending.Product`, `catalogue.ProductTerms`, `plan_rules.PlanTerms`)."""
        return cls(
            min_amount=getattr(product, "min_amount", None),
            max_amount=getattr(product, "max_amount", None),
            allowed_terms=tuple(getattr(product, "allowed_terms", ()) or ()),
            allowed_methods=tuple(getattr(product, "allowed_methods", ()) or ()),
            max_ltv=getattr(product, "max_ltv", None),
        )


@dataclass(frozen=True)
class Breach:
    """One limit the figures break: its code, the figure measured and the limit, as strings (for the record)."""

    code: str
    measured: str
    limit: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "measured": self.measured, "limit": self.limit}


def ratio_up(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator ÷ denominator rounded up to 4 places; the denominator is positive."""
    with localcontext() as ctx:
        ctx.prec = 60  # enough for any two 18-digit amounts: the rounding below is the only one
        return (numerator / denominator).quantize(RATIO_PLACES, rounding=ROUND_CEILING)


def ltv_base(price_amount: Decimal | None, valuation_amount: Decimal | None) -> Decimal | None:
    """What the LTV is measured on: the lower of price and appraisal (either alone when the other is unknown)."""
    known = [x for x in (price_amount, valuation_amount) if x is not None]
    return min(known) if known else None


def within_ratio(numerator: Decimal, denominator: Decimal, cap: Decimal) -> bool:
    """numerator ÷ denominator ≤ cap, exactly (cross-multiplied as fractions; see the module)."""
    return Fraction(numerator) <= Fraction(cap) * Fraction(denominator)


def ltv(principal_amount: Decimal, price_amount: Decimal | None, valuation_amount: Decimal | None) -> Decimal | None:
    """The LTV shown (rounded up to 4 places), None without a positive base."""
    base = ltv_base(price_amount, valuation_amount)
    return ratio_up(principal_amount, base) if base is not None and base > 0 else None


def check(
    *,
    principal_amount: Decimal,
    term_months: int,
    method: str | None = None,
    price_amount: Decimal | None = None,
    valuation_amount: Decimal | None = None,
    product: ProductLimits | None = None,
    cap: Cap | None = None,
) -> tuple[Breach, ...]:
    """Every limit the figures break, in the order of the codes above; empty when within every limit.

    `method` None skips the method check (an application before a plan has one); the LTV checks need a vehicle:
    a price or an appraisal (a loan with no vehicle has no LTV).
    """
    breaches: list[Breach] = []
    base = ltv_base(price_amount, valuation_amount)
    shown_ltv = str(ratio_up(principal_amount, base)) if base is not None and base > 0 else ""
    if product is not None:
        low, high = product.min_amount, product.max_amount
        if (low is not None and principal_amount < low) or (high is not None and principal_amount > high):
            breaches.append(Breach(AMOUNT, str(principal_amount), f"{low or ''}–{high or ''}"))
        if product.allowed_terms and term_months not in product.allowed_terms:
            breaches.append(Breach(TERM, str(term_months), ",".join(map(str, product.allowed_terms))))
        if method is not None and product.allowed_methods and method not in product.allowed_methods:
            breaches.append(Breach(METHOD, method, ",".join(product.allowed_methods)))
        if product.max_ltv is not None and base and not within_ratio(principal_amount, base, product.max_ltv):
            breaches.append(Breach(PRODUCT_LTV, shown_ltv, str(product.max_ltv.normalize())))
    if cap is not None:
        if cap.max_ltv is not None and base and not within_ratio(principal_amount, base, cap.max_ltv):
            breaches.append(Breach(CAP_LTV, shown_ltv, str(cap.max_ltv.normalize())))
        if cap.max_term_months is not None and term_months > cap.max_term_months:
            breaches.append(Breach(CAP_TERM, str(term_months), str(cap.max_term_months)))
    return tuple(breaches)


FIELDS = {
    AMOUNT: "principal_amount",
    TERM: "term_months",
    METHOD: "method",
    PRODUCT_LTV: "down_payment_amount",
    CAP_LTV: "down_payment_amount",
    CAP_TERM: "term_months",
}


def percent(share: Decimal) -> str:
    """0.7 → "70%", 0.355 → "35.5%" (never "7E+1%")."""
    value = (share * 100).normalize()
    return f"{value:f}%"


def field_errors(
    breaches: tuple[Breach, ...], *, product: ProductLimits | None = None, cap: Cap | None = None
) -> dict[str, list[str]]:
    """The breaches as field errors for a 422 or an inline form error, one wording for quotes and plans."""
    from django.utils.translation import gettext as _  # words only: the check above needs no Django

    errors: dict[str, list[str]] = {}
    for breach in breaches:
        if breach.code == AMOUNT and product is not None:
            message = _("The product lends from %(min)s to %(max)s yuan.") % {
                "min": product.min_amount,
                "max": product.max_amount,
            }
        elif breach.code == TERM:
            message = _("The product allows terms of %(terms)s months.") % {
                "terms": ", ".join(map(str, product.allowed_terms if product else ()))
            }
        elif breach.code == METHOD:
            message = _("The product does not offer this repayment method.")
        elif breach.code == PRODUCT_LTV:
            message = _(
                "The loan may be at most %(ltv)s of the lower of the price and the appraised value: "
                "raise the down payment."
            ) % {"ltv": percent(Decimal(breach.limit))}
        elif breach.code == CAP_LTV:
            message = _(
                "The regulatory cap is %(ltv)s of the lower of the price and the appraised value (%(source)s)."
            ) % {"ltv": percent(Decimal(breach.limit)), "source": cap.source if cap else ""}
        else:
            message = _("The regulatory cap is a term of %(max)s months, extensions included (%(source)s).") % {
                "max": breach.limit,
                "source": cap.source if cap else "",
            }
        errors.setdefault(FIELDS[breach.code], []).append(message)
    return errors
