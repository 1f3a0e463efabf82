"""Enterprise size class (企业规模): pure calculation, no ORM (STYLE rule 5, CLASS-2).

The rule is 《统计上大中小微型企业划分办法（2017）》(国统字〔2017〕213号), table in DOMAIN.md §8:

- every industry row lists one or two indicators: employees X (从业人员, persons), operating revenue Y (营业收入)
  and total assets Z (资产总额), both in 万元 (CNY 10,000);
- large, medium and small each have a lower bound per indicator, ranges are [lower, upper);
- "大型、中型和小型企业须同时满足所列指标的下限，否则下划一档；微型企业只须满足所列指标中的一项即可":
  an enterprise is large only if it meets the large lower bound of *every* listed indicator, otherwise it drops a
  tier and is tested against the medium bounds, and so on. So when indicators point to different tiers the
  enterprise gets the highest tier whose lower bounds are all met (1,000 employees but revenue 2,000 万元 in
  industry → medium). Micro needs only one micro condition (X or Y below the small bound), which is exactly
  "not every small lower bound is met", so micro is simply what is left below small.

Every indicator of the row is required, even when one of them alone already proves micro: a size class computed
from part of the figures would look as trustworthy as a complete one, and the credit file needs all of them anyway.

The thresholds live in `SIZE_THRESHOLDS`, a plain data table, and `size_class` accepts another table, so a later
issue can move them into configuration (DOMAIN.md: the property-management and leasing small/micro bounds are
partly [M]). `size_industry_for_section` maps GB/T 4754-2017 codes (`customers.industries`) to the table's rows,
following the footnotes of the 2017 measures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext as _

from creditdesk.core.errors import ValidationFailed
from creditdesk.core.money import to_decimal
from creditdesk.customers.industries import DIVISIONS, SECTIONS, section_of


class SizeClass(StrEnum):
    """Enterprise size class (企业规模), CLASS-2."""

    LARGE = "large"  # 大型
    MEDIUM = "medium"  # 中型
    SMALL = "small"  # 小型
    MICRO = "micro"  # 微型


class SizeIndustry(StrEnum):
    """An industry row of the 2017 size table (DOMAIN.md §8); not the same grid as GB/T 4754 sections."""

    AGRICULTURE = "agriculture"  # 农、林、牧、渔业 (A)
    INDUSTRY = "industry"  # 工业 (B, C, D)
    CONSTRUCTION = "construction"  # 建筑业 (E)
    WHOLESALE = "wholesale"  # 批发业 (F51)
    RETAIL = "retail"  # 零售业 (F52)
    TRANSPORT = "transport"  # 交通运输业 (G54–58 and 装卸搬运 591; not railways)
    WAREHOUSING = "warehousing"  # 仓储业 (G59 except 591)
    POSTAL = "postal"  # 邮政业 (G60)
    ACCOMMODATION = "accommodation"  # 住宿业 (H61)
    CATERING = "catering"  # 餐饮业 (H62)
    INFORMATION_TRANSMISSION = "information_transmission"  # 信息传输业 (I63, I64)
    SOFTWARE_IT = "software_it"  # 软件和信息技术服务业 (I65)
    REAL_ESTATE_DEVELOPMENT = "real_estate_development"  # 房地产开发经营 (K7010)
    PROPERTY_MANAGEMENT = "property_management"  # 物业管理 (K7020)
    LEASING_BUSINESS_SERVICES = "leasing_business_services"  # 租赁和商务服务业 (L)
    OTHER = "other"  # 其他未列明行业


class Indicator(StrEnum):
    """A size indicator; the value is also the keyword of `size_class` and the field named in its errors."""

    EMPLOYEES = "employees"  # X 从业人员, persons
    REVENUE_10K = "revenue_10k"  # Y 营业收入, 万元
    ASSETS_10K = "assets_10k"  # Z 资产总额, 万元


# (indicator, large lower bound, medium lower bound, small lower bound); below the small bound is micro.
Threshold = tuple[Indicator, Decimal, Decimal, Decimal]
SizeThresholds = Mapping[SizeIndustry, Sequence[Threshold]]

TIERS = (SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL)


def _t(indicator: Indicator, large: int, medium: int, small: int) -> Threshold:
    return (indicator, Decimal(large), Decimal(medium), Decimal(small))


X, Y, Z = Indicator.EMPLOYEES, Indicator.REVENUE_10K, Indicator.ASSETS_10K

SIZE_THRESHOLDS: dict[SizeIndustry, list[Threshold]] = {
    SizeIndustry.AGRICULTURE: [_t(Y, 20000, 500, 50)],
    SizeIndustry.INDUSTRY: [_t(X, 1000, 300, 20), _t(Y, 40000, 2000, 300)],
    SizeIndustry.CONSTRUCTION: [_t(Y, 80000, 6000, 300), _t(Z, 80000, 5000, 300)],
    SizeIndustry.WHOLESALE: [_t(X, 200, 20, 5), _t(Y, 40000, 5000, 1000)],
    SizeIndustry.RETAIL: [_t(X, 300, 50, 10), _t(Y, 20000, 500, 100)],
    SizeIndustry.TRANSPORT: [_t(X, 1000, 300, 20), _t(Y, 30000, 3000, 200)],
    SizeIndustry.WAREHOUSING: [_t(X, 200, 100, 20), _t(Y, 30000, 1000, 100)],
    SizeIndustry.POSTAL: [_t(X, 1000, 300, 20), _t(Y, 30000, 2000, 100)],
    SizeIndustry.ACCOMMODATION: [_t(X, 300, 100, 10), _t(Y, 10000, 2000, 100)],
    SizeIndustry.CATERING: [_t(X, 300, 100, 10), _t(Y, 10000, 2000, 100)],
    SizeIndustry.INFORMATION_TRANSMISSION: [_t(X, 2000, 100, 10), _t(Y, 100000, 1000, 100)],
    SizeIndustry.SOFTWARE_IT: [_t(X, 300, 100, 10), _t(Y, 10000, 1000, 50)],
    SizeIndustry.REAL_ESTATE_DEVELOPMENT: [_t(Y, 200000, 1000, 100), _t(Z, 10000, 5000, 2000)],
    SizeIndustry.PROPERTY_MANAGEMENT: [_t(X, 1000, 300, 100), _t(Y, 5000, 1000, 500)],
    SizeIndustry.LEASING_BUSINESS_SERVICES: [_t(X, 300, 100, 10), _t(Z, 120000, 8000, 100)],
    SizeIndustry.OTHER: [_t(X, 300, 100, 10)],
}


def size_class(
    *,
    industry: SizeIndustry,
    employees: int | None,
    revenue_10k: Decimal | None,
    assets_10k: Decimal | None,
    thresholds: SizeThresholds = SIZE_THRESHOLDS,
) -> SizeClass:
    """The size class of an enterprise (CLASS-2): the highest tier whose lower bounds are all met, else micro.

    Revenue and assets are in 万元. Indicators the industry's row does not list are ignored and may be None; a
    listed one that is missing or negative raises ValidationFailed naming the keyword (all missing ones at once).
    """
    try:
        industry = SizeIndustry(industry)
        row = thresholds[industry]
    except (ValueError, KeyError):
        raise ValidationFailed.on("industry", _("Unknown industry for the size rules.")) from None
    given: dict[Indicator, object] = {X: employees, Y: revenue_10k, Z: assets_10k}
    missing = [indicator for indicator, *_bounds in row if given[indicator] is None]
    if missing:
        messages = _missing_messages()
        if len(missing) == 1:
            raise ValidationFailed.on(missing[0].value, messages[missing[0]], code="required")
        raise ValidationFailed(
            _("The size rules for this industry need more figures."),
            code="required",
            fields={indicator.value: [messages[indicator]] for indicator in missing},
        )
    values = {indicator: _indicator_value(indicator, given[indicator]) for indicator, *_bounds in row}
    for tier_index, tier in enumerate(TIERS):
        # bounds[tier_index] is the lower bound of this tier: large, medium, small in that order.
        if all(values[indicator] >= bounds[tier_index] for indicator, *bounds in row):
            return tier
    return SizeClass.MICRO


def _missing_messages() -> dict[Indicator, str]:
    return {
        X: _("Enter the number of employees: the size rules for this industry need it."),
        Y: _("Enter the operating revenue (in 10,000 yuan): the size rules for this industry need it."),
        Z: _("Enter the total assets (in 10,000 yuan): the size rules for this industry need it."),
    }


def _indicator_value(indicator: Indicator, value: object) -> Decimal:
    if indicator is X:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationFailed.on(indicator.value, _("Enter the number of employees as a whole number."))
        number = Decimal(value)
    else:
        try:
            if not isinstance(value, Decimal | int | str):
                raise TypeError(value)
            number = to_decimal(value)  # refuses floats: their binary error could cross a bound
        except (TypeError, ValueError):
            raise ValidationFailed.on(indicator.value, _("Enter an amount in 10,000 yuan.")) from None
    if number < 0:
        raise ValidationFailed.on(indicator.value, _("This figure cannot be negative."))
    return number


# --- GB/T 4754-2017 → size-table row -----------------------------------------------------------------------------

# Footnotes of the 2017 measures [M]: 交通运输业 is divisions 54–58 plus 装卸搬运 (group 591, which the 2017
# edition of GB/T 4754 moved into division 59) and excludes railways (53); 仓储业 is the rest of division 59.
_DIVISION_ROWS: dict[int, SizeIndustry] = {
    51: SizeIndustry.WHOLESALE,
    52: SizeIndustry.RETAIL,
    **dict.fromkeys(range(54, 59), SizeIndustry.TRANSPORT),
    59: SizeIndustry.WAREHOUSING,
    60: SizeIndustry.POSTAL,
    61: SizeIndustry.ACCOMMODATION,
    62: SizeIndustry.CATERING,
    63: SizeIndustry.INFORMATION_TRANSMISSION,
    64: SizeIndustry.INFORMATION_TRANSMISSION,
    65: SizeIndustry.SOFTWARE_IT,
}
_SECTION_ROWS: dict[str, SizeIndustry] = {
    "A": SizeIndustry.AGRICULTURE,
    "B": SizeIndustry.INDUSTRY,
    "C": SizeIndustry.INDUSTRY,
    "D": SizeIndustry.INDUSTRY,
    "E": SizeIndustry.CONSTRUCTION,
    "L": SizeIndustry.LEASING_BUSINESS_SERVICES,
}
_SECTIONS_NEEDING_DIVISION = frozenset("FGHI")


def size_industry_for_section(section: str, division: int | None = None, class_code: str | None = None) -> SizeIndustry:
    """The size-table row (CLASS-1 → CLASS-2) of a GB/T 4754-2017 section, division (大类) and class (小类) code.

    - A → agriculture; B, C, D → industry; E → construction; L → leasing and business services.
    - F, G, H and I need the division: 51 wholesale, 52 retail; 53 railways → other (the transport row excludes
      railways); 54–58 transport; 59 warehousing, except class 591x 装卸搬运 → transport; 60 postal;
      61 accommodation, 62 catering; 63–64 information transmission, 65 software and IT.
    - K (division 70) needs the class code, because the division alone does not say which row applies:
      701x development → real-estate development, 702x → property management, other real estate → other.
    - Every other section → other. That includes J (finance), although financial firms are really sized under a
      separate standard (《金融业企业划型标准规定》, DOMAIN.md §8), and P, S, T, which the measures' "other"
      footnote does not name; callers that care must treat those sections themselves.

    `class_code` is the three- or four-digit group/class code ("7010"; a leading section letter, "K7010", is
    accepted) and supplies the division when `division` is None. Inconsistent codes raise ValidationFailed.
    """
    letter = section.strip().upper() if isinstance(section, str) else ""
    if letter not in SECTIONS:
        raise ValidationFailed.on("section", _("Unknown industry section; use a letter from A to T."))
    code = _class_digits(class_code, letter)
    if division is not None and (
        isinstance(division, bool) or division not in DIVISIONS or section_of(division) != letter
    ):
        raise ValidationFailed.on("division", _("This division does not belong to the section."))
    if code is not None:
        code_division = int(code[:2])
        if (
            code_division not in DIVISIONS
            or section_of(code_division) != letter
            or division not in (None, code_division)
        ):
            raise ValidationFailed.on("class_code", _("This class code does not belong to the division."))
        division = code_division

    if letter in _SECTION_ROWS:
        return _SECTION_ROWS[letter]
    if letter in _SECTIONS_NEEDING_DIVISION:
        if division is None:
            raise ValidationFailed.on(
                "division", _("Enter the industry division: the size rules differ within this section.")
            )
        if division == 59 and code is not None and code.startswith("591"):
            return SizeIndustry.TRANSPORT  # 装卸搬运 counts as transport in the measures
        return _DIVISION_ROWS.get(division, SizeIndustry.OTHER)  # only 53, railways, is not in the table
    if letter == "K":
        if code is None:
            raise ValidationFailed.on(
                "class_code",
                _("Enter the class code (e.g. 7010 development, 7020 property management)."),
            )
        if code.startswith("701"):
            return SizeIndustry.REAL_ESTATE_DEVELOPMENT
        if code.startswith("702"):
            return SizeIndustry.PROPERTY_MANAGEMENT
    return SizeIndustry.OTHER


def _class_digits(class_code: str | None, section: str) -> str | None:
    """The digits of a group or class code, without a leading section letter; None when not given."""
    if class_code is None or not class_code.strip():
        return None
    code = class_code.strip().upper()
    if code[0] == section:
        code = code[1:]
    if not (code.isascii() and code.isdigit() and len(code) in (3, 4)):
        raise ValidationFailed.on("class_code", _("Enter the industry class code as three or four digits."))
    return code
