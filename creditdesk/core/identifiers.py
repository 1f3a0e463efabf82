"""Identifier checks (证件号码校验): resident ID, unified social credit code, VIN, mainland mobile number.

Pure functions, no ORM (DOMAIN.md §10, INFO-2 / INFO-3 / INFO-4). Each `parse_*` normalises the raw input, checks
it and returns the normalised value with what can be read from it, or raises `InvalidIdentifier` with a machine
`code` and a translatable `message`. Doubts that should not block data entry (an unknown region code, an imported
car's VIN without a North-American check digit) come back as `warnings` for a person to look at.

The check characters are computed here from DOMAIN.md rather than with `stdnum.cn.ric.is_valid`, which also
rejects region codes missing from its table (even the standard's own example); the tests cross-check the
results against python-stdnum and vininfo.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "CreditCode",
    "InvalidIdentifier",
    "ResidentId",
    "Vin",
    "complete_credit_code",
    "credit_code_check_char",
    "organisation_code_check_char",
    "parse_credit_code",
    "parse_mobile",
    "parse_resident_id",
    "parse_vin",
    "resident_id_check_char",
    "vin_check_digit",
]


class InvalidIdentifier(ValueError):
    """An identifier that was refused: `code` is for programs and tests, `message` for people.

    Codes: required, length, format, forbidden_letters, checksum, organisation_checksum, birth_date,
    future_birth_date, prefix.
    The message stays lazy until read, so raising needs no active language (or configured settings).
    """

    def __init__(self, code: str, message: StrOrPromise) -> None:
        super().__init__(code)
        self.code = code
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message)

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"InvalidIdentifier(code={self.code!r})"


def _compact(raw: str) -> str:
    """Full-width characters from Chinese input methods become ASCII (NFKC); all whitespace goes; upper case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).upper()


def _is_digits(text: str) -> bool:
    # str.isdigit() also accepts superscripts and other scripts' digits; only 0-9 are valid here.
    return text.isascii() and text.isdigit()


def _required() -> InvalidIdentifier:
    return InvalidIdentifier("required", _("This field is required."))


# Extra region codes that are valid but missing from python-stdnum's table: 830000 is used on residence permits of
# Taiwan residents (台湾居民居住证); 100000 is the national level in credit codes of bodies registered centrally.
_EXTRA_REGION_CODES = frozenset({"830000", "100000"})


@functools.lru_cache(maxsize=4096)
def _is_known_region(region_code: str) -> bool:
    """Whether python-stdnum's administrative-division table (GB/T 2260, with retired codes) has the code.

    The table's "[start-end]" validity ranges are ignored on purpose: the region code records where the number was
    first issued, not where or when the person was born, and retired codes stay on valid cards for life.
    """
    if region_code in _EXTRA_REGION_CODES:
        return True
    from stdnum import numdb  # imported here: the table is only read when a number gets this far

    return any("county" in props for _part, props in numdb.get("cn/loc").info(region_code))


# --- Resident ID number (居民身份证号码), GB 11643-1999, ISO 7064 MOD 11-2 -----------------------------------------

_RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18-i) mod 11
_RESIDENT_ID_CHECK_CHARS = "10X98765432"
# Hard floor against typos in the year (0949, 1049...). The standard's own example 440524188001010014 is born in
# 1880, so 1800-1899 is accepted with a warning rather than refused.
_EARLIEST_BIRTH_ON = dt.date(1800, 1, 1)
_PLAUSIBLE_BIRTH_ON = dt.date(1900, 1, 1)


@dataclass(frozen=True)
class ResidentId:
    """A checked resident ID number (居民身份证号码) and what it says about its holder."""

    number: str
    birth_on: dt.date
    sex: str  # "M" or "F": the 17th digit (sequence code) is odd for men, even for women
    region_code: str
    warnings: tuple[str, ...] = ()
    warning_codes: tuple[str, ...] = ()  # machine form of `warnings`: unknown_region, implausible_birth_date


def resident_id_check_char(body: str) -> str:
    """The 18th character for the first 17 digits of a resident ID number."""
    total = sum(int(digit) * weight for digit, weight in zip(body, _RESIDENT_ID_WEIGHTS, strict=True))
    return _RESIDENT_ID_CHECK_CHARS[total % 11]


def parse_resident_id(raw: str, *, today: dt.date) -> ResidentId:
    """Check an 18-character resident ID number against the business date `today` (INFO-2)."""
    number = _compact(raw)
    if not number:
        raise _required()
    if len(number) != 18:
        if len(number) == 15 and _is_digits(number):
            # First-generation cards (before 1999) had 15 digits; lenders file the current 18-digit number.
            raise InvalidIdentifier(
                "length", _("This is an old 15-digit ID number: enter the 18-digit number on the current card.")
            )
        raise InvalidIdentifier("length", _("A resident ID number has 18 characters."))
    if not _is_digits(number[:17]) or not (_is_digits(number[17]) or number[17] == "X"):
        raise InvalidIdentifier("format", _("A resident ID number is 17 digits followed by a digit or X."))
    if number[17] != resident_id_check_char(number[:17]):
        raise InvalidIdentifier("checksum", _("This resident ID number is not valid: check for a typing error."))
    try:
        birth_on = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier("birth_date", _("The birth date in this ID number is not a real date.")) from None
    if birth_on < _EARLIEST_BIRTH_ON:
        raise InvalidIdentifier("birth_date", _("The birth date in this ID number is too far in the past."))
    if birth_on > today:
        raise InvalidIdentifier("future_birth_date", _("The birth date in this ID number is in the future."))

    warnings: list[tuple[str, StrOrPromise]] = []
    if birth_on < _PLAUSIBLE_BIRTH_ON:
        warnings.append(("implausible_birth_date", _("The birth date in this ID number is before 1900.")))
    if not _is_known_region(number[:6]):
        warnings.append(("unknown_region", _("The region code in this ID number is unknown: check the number.")))
    return ResidentId(
        number=number,
        birth_on=birth_on,
        sex="M" if int(number[16]) % 2 else "F",
        region_code=number[:6],
        warnings=tuple(str(message) for _warning_code, message in warnings),
        warning_codes=tuple(warning_code for warning_code, _message in warnings),
    )


# --- Unified social credit code (统一社会信用代码), GB 32100-2015, MOD 31 -------------------------------------------

_CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # value = index; no I O S V Z
_CREDIT_CODE_FORBIDDEN = frozenset("IOSVZ")
_CREDIT_CODE_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))  # 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28


@dataclass(frozen=True)
class CreditCode:
    """A checked unified social credit code (统一社会信用代码) and its parts."""

    code: str
    registration_authority: str  # 登记管理部门代码, e.g. 9 = market regulation (工商)
    entity_type: str  # 机构类别代码
    region_code: str  # 登记管理机关行政区划码
    warnings: tuple[str, ...] = ()
    warning_codes: tuple[str, ...] = ()  # machine form of `warnings`: unknown_region


def credit_code_check_char(body: str) -> str:
    """The 18th character for the first 17 characters of a credit code (all from the code's alphabet)."""
    total = sum(
        _CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(body, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return _CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


# GB 11714-1997 organisation code (组织机构代码), places 9-17 of a credit code: 8 body characters (digits = 0-9,
# letters A-Z = 10-35) and a MOD 11 check character, 11 - (sum mod 11), where 10 is written X and 11 is 0.
_ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORGANISATION_CODE_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def organisation_code_check_char(body: str) -> str:
    """The 9th character (place 17 of a credit code) for the 8 body characters of a GB 11714 organisation code."""
    total = sum(
        _ORGANISATION_CODE_VALUES.index(char) * weight
        for char, weight in zip(body, _ORGANISATION_CODE_WEIGHTS, strict=True)
    )
    return "0123456789X0"[11 - total % 11]


def complete_credit_code(body: str) -> str:
    """The 18-character credit code for its first 16 characters: adds the organisation code's check character
    (place 17) and the credit code's own (place 18). For synthetic codes in the demo data and the tests."""
    with_organisation_check = body + organisation_code_check_char(body[8:16])
    return with_organisation_check + credit_code_check_char(with_organisation_check)


def parse_credit_code(raw: str) -> CreditCode:
    """Check an 18-character unified social credit code (INFO-4): the GB 32100 check character in place 18 and
    the GB 11714 check character of the embedded organisation code in place 17 (issue 11 item 8)."""
    code = _compact(raw)
    if not code:
        raise _required()
    if len(code) != 18:
        raise InvalidIdentifier("length", _("A unified social credit code has 18 characters."))
    if any(char in _CREDIT_CODE_FORBIDDEN for char in code):
        raise InvalidIdentifier(
            "forbidden_letters", _("The letters I, O, S, V and Z are not used in unified social credit codes.")
        )
    if any(char not in _CREDIT_CODE_ALPHABET for char in code) or not _is_digits(code[2:8]):
        raise InvalidIdentifier(
            "format", _("A unified social credit code has digits and capital letters, with digits in places 3 to 8.")
        )
    if code[17] != credit_code_check_char(code[:17]):
        raise InvalidIdentifier(
            "checksum", _("This unified social credit code is not valid: check for a typing error.")
        )
    if code[16] != organisation_code_check_char(code[8:16]):
        # Issue 11 item 8: the embedded organisation code (places 9-17) carries its own GB 11714 check character.
        raise InvalidIdentifier(
            "organisation_checksum",
            _(
                "The organisation code in this unified social credit code (places 9 to 17) is not valid: "
                "check for a typing error."
            ),
        )

    warnings: list[tuple[str, StrOrPromise]] = []
    if not _is_known_region(code[2:8]):
        warnings.append(("unknown_region", _("The region code in this credit code is unknown: check the code.")))
    return CreditCode(
        code=code,
        registration_authority=code[0],
        entity_type=code[1],
        region_code=code[2:8],
        warnings=tuple(str(message) for _warning_code, message in warnings),
        warning_codes=tuple(warning_code for warning_code, _message in warnings),
    )


# --- Vehicle identification number (车辆识别代号), GB 16735 / ISO 3779, check digit in position 9 ---------------------

_VIN_VALUES = {
    **{str(digit): digit for digit in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_FORBIDDEN = frozenset("IOQ")
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


@dataclass(frozen=True)
class Vin:
    """A checked vehicle identification number (车辆识别代号, VIN)."""

    vin: str
    wmi: str  # world manufacturer identifier (世界制造厂识别代号)
    check_digit_valid: bool
    warnings: tuple[str, ...] = ()
    warning_codes: tuple[str, ...] = ()  # machine form of `warnings`: check_digit


def vin_check_digit(vin: str) -> str:
    """The position-9 check digit of a 17-character VIN (position 9 itself has weight 0)."""
    remainder = sum(_VIN_VALUES[char] * weight for char, weight in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def parse_vin(raw: str, *, imported: bool = False) -> Vin:
    """Check a 17-character VIN (INFO-3).

    GB 16735 makes the check digit mandatory for vehicles built for China, so a mismatch is refused; cars imported
    from regions without the check digit (many European makers) pass with a warning when `imported` is set.
    """
    vin = _compact(raw)
    if not vin:
        raise _required()
    if len(vin) != 17:
        raise InvalidIdentifier("length", _("A VIN has 17 characters."))
    if any(char in _VIN_FORBIDDEN for char in vin):
        raise InvalidIdentifier("forbidden_letters", _("The letters I, O and Q are not used in VINs."))
    if any(char not in _VIN_VALUES for char in vin):
        raise InvalidIdentifier("format", _("A VIN has only digits and capital letters."))
    check_digit_valid = vin[8] == vin_check_digit(vin)
    if not check_digit_valid and not imported:
        raise InvalidIdentifier("checksum", _("This VIN is not valid: check for a typing error."))

    warnings: list[tuple[str, StrOrPromise]] = []
    if not check_digit_valid:
        warnings.append(("check_digit", _("The VIN check digit does not match; accepted because the car is imported.")))
    return Vin(
        vin=vin,
        wmi=vin[:3],
        check_digit_valid=check_digit_valid,
        warnings=tuple(str(message) for _warning_code, message in warnings),
        warning_codes=tuple(warning_code for warning_code, _message in warnings),
    )


# --- Mainland mobile number (手机号码) -----------------------------------------------------------------------------

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


def parse_mobile(raw: str) -> str:
    """Return the 11 digits of a mainland China mobile number, without spaces, hyphens or +86 / 86 / 0086 (INFO-1)."""
    text = unicodedata.normalize("NFKC", raw or "")
    number = "".join(text.split()).replace("-", "")
    if not number:
        raise _required()
    for country_code in ("+86", "0086", "86"):
        if number.startswith(country_code):
            number = number.removeprefix(country_code)
            break
    else:
        if number.startswith(("+", "00")):
            raise InvalidIdentifier("prefix", _("Only mainland China (+86) mobile numbers are accepted."))
    if not _MOBILE_RE.fullmatch(number):
        raise InvalidIdentifier("format", _("A mobile number has 11 digits and starts with 13 to 19."))
    return number
