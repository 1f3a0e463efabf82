"""Identifier checks (DOMAIN.md §10): resident ID (INFO-2), VIN (INFO-3), unified social credit code (INFO-4).

Pure functions: no database. Assertions are on `code`, never on message text.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc
from vininfo import Vin as VininfoVin

from creditdesk.core.identifiers import (
    InvalidIdentifier,
    complete_credit_code,
    credit_code_check_char,
    organisation_code_check_char,
    parse_credit_code,
    parse_mobile,
    parse_resident_id,
    parse_vin,
    resident_id_check_char,
    vin_check_digit,
)

TODAY = dt.date(2027, 3, 15)
ID_CHECK_CHARS = "0123456789X"
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VIN_ALPHABET = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


def resident_id(region: str = "110105", born: str = "19491231", sequence: str = "002") -> str:
    """A resident ID number with the right check character."""
    body = region + born + sequence
    return body + resident_id_check_char(body)


def credit_code(body: str) -> str:
    return body + credit_code_check_char(body)


def with_check_digit(vin: str) -> str:
    return vin[:8] + vin_check_digit(vin) + vin[9:]


def refused(parse, raw: str, **kwargs) -> str:
    """Parse `raw`, expect a refusal, and return its code."""
    with pytest.raises(InvalidIdentifier) as excinfo:
        parse(raw, **kwargs)
    return excinfo.value.code


# --- Resident ID number (INFO-2) -----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014"])
def test_the_examples_of_the_standard_are_valid_resident_ids(number):
    """INFO-2: both examples of DOMAIN.md §10.1 pass, although stdnum refuses the second one's region."""
    assert parse_resident_id(number, today=TODAY).number == number


def test_a_resident_id_gives_birth_date_sex_and_region():
    """INFO-2: the 17th digit 2 is even, so the holder of the standard's example is a woman."""
    parsed = parse_resident_id("11010519491231002X", today=TODAY)
    assert parsed.birth_on == dt.date(1949, 12, 31)
    assert parsed.sex == "F"
    assert parsed.region_code == "110105"
    assert parsed.warnings == ()


def test_an_odd_sequence_digit_means_a_man():
    """INFO-2: 440524188001010014 has 17th digit 1."""
    parsed = parse_resident_id("440524188001010014", today=TODAY)
    assert parsed.birth_on == dt.date(1880, 1, 1)
    assert parsed.sex == "M"
    assert parsed.region_code == "440524"


def test_a_birth_date_before_1900_is_only_a_warning():
    """INFO-2: the standard's own example is born in 1880, so such dates are flagged, not refused."""
    parsed = parse_resident_id("440524188001010014", today=TODAY)
    assert parsed.warning_codes == ("implausible_birth_date",)
    assert len(parsed.warnings) == 1


def test_a_birth_date_before_1800_is_refused():
    """INFO-2: a year like 1749 is a typing error."""
    assert refused(parse_resident_id, resident_id(born="17491231"), today=TODAY) == "birth_date"


def test_a_lower_case_x_is_accepted_and_upper_cased():
    """INFO-2."""
    assert parse_resident_id("11010519491231002x", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize("raw", [" 11010519491231002X\n", "110105 19491231 002X", "\t110105\u300019491231002X "])
def test_whitespace_in_a_resident_id_is_stripped(raw):
    """INFO-2: including the full-width space of Chinese input methods."""
    assert parse_resident_id(raw, today=TODAY).number == "11010519491231002X"


def test_full_width_digits_are_read_as_digits():
    """INFO-2: Chinese input methods can type full-width characters."""
    assert parse_resident_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize("wrong", sorted(set(ID_CHECK_CHARS) - {"X"}))
def test_every_wrong_check_character_of_a_resident_id_is_refused(wrong):
    """INFO-2: each of the ten other check characters of 11010519491231002X."""
    assert refused(parse_resident_id, "11010519491231002" + wrong, today=TODAY) == "checksum"


def test_swapped_digits_in_a_resident_id_are_caught():
    """INFO-2: a transposition of two birth-date digits."""
    assert refused(parse_resident_id, "11010519492131002X", today=TODAY) == "checksum"


@pytest.mark.parametrize(
    "born",
    [
        "19900230",  # 30 February
        "19901301",  # month 13
        "19900001",  # month 0
        "19900100",  # day 0
        "19900431",  # 31 April
        "19000229",  # 1900 is not a leap year
    ],
)
def test_a_resident_id_with_an_impossible_birth_date_is_refused(born):
    """INFO-2: the check character is right, the date does not exist."""
    assert refused(parse_resident_id, resident_id(born=born), today=TODAY) == "birth_date"


def test_29_february_of_a_leap_year_is_a_real_birth_date():
    """INFO-2."""
    assert parse_resident_id(resident_id(born="20000229"), today=TODAY).birth_on == dt.date(2000, 2, 29)


def test_a_birth_date_after_the_business_date_is_refused():
    """INFO-2: compared with the business date passed in, not the wall clock."""
    assert refused(parse_resident_id, resident_id(born="20270316"), today=TODAY) == "future_birth_date"
    assert refused(parse_resident_id, resident_id(born="20990101"), today=TODAY) == "future_birth_date"


def test_a_birth_date_on_the_business_date_is_accepted():
    """INFO-2: a newborn's ID can be registered the day it is issued."""
    assert parse_resident_id(resident_id(born="20270315"), today=TODAY).birth_on == TODAY


def test_the_business_date_decides_what_is_in_the_future():
    """INFO-2: the same number is refused before the birth date and accepted after it."""
    number = resident_id(born="20270316")
    assert refused(parse_resident_id, number, today=TODAY) == "future_birth_date"
    assert parse_resident_id(number, today=TODAY + dt.timedelta(days=1)).birth_on == dt.date(2027, 3, 16)


def test_an_old_15_digit_resident_id_is_refused_as_too_short():
    """INFO-2: first-generation 15-digit numbers must be replaced by the 18-digit one."""
    assert refused(parse_resident_id, "110105491231002", today=TODAY) == "length"


@pytest.mark.parametrize("raw", ["11010519491231002", "11010519491231002X0", "1101051949", "1"])
def test_a_resident_id_of_the_wrong_length_is_refused(raw):
    """INFO-2: 17, 19 and other lengths."""
    assert refused(parse_resident_id, raw, today=TODAY) == "length"


@pytest.mark.parametrize(
    "raw",
    [
        "1101051949123100XX",  # X before the last place
        "A1010519491231002X",  # letter in the region
        "110105194912A1002X",  # letter in the birth date
        "11010519491231002Y",  # check character neither digit nor X
        "110105-1949123102X",  # punctuation
        "١1010519491231002X",  # an Arabic-Indic digit, which str.isdigit() accepts
    ],
)
def test_a_resident_id_with_a_non_digit_body_is_refused(raw):
    """INFO-2."""
    assert refused(parse_resident_id, raw, today=TODAY) == "format"


@pytest.mark.parametrize("raw", ["", "   ", "\u3000"])
def test_an_empty_resident_id_is_required(raw):
    """INFO-2."""
    assert refused(parse_resident_id, raw, today=TODAY) == "required"


@pytest.mark.parametrize("region", ["999999", "119999", "000000"])
def test_an_unknown_region_code_is_a_warning_not_a_refusal(region):
    """INFO-2: stdnum's region table is incomplete, so an unknown region never blocks data entry.

    (stdnum.cn.ric.is_valid refuses 999999 and even raises KeyError on 119999: it is not used for this.)
    """
    parsed = parse_resident_id(resident_id(region=region), today=TODAY)
    assert parsed.region_code == region
    assert parsed.warning_codes == ("unknown_region",)
    assert len(parsed.warnings) == 1


@pytest.mark.parametrize("region", ["110103", "810000", "830000", "650102"])
def test_retired_and_special_region_codes_carry_no_warning(region):
    """INFO-2: 崇文区 (retired 2010) stays on valid cards; 81/83 are Hong Kong and Taiwan residence permits."""
    assert parse_resident_id(resident_id(region=region), today=TODAY).warnings == ()


@given(
    region=st.text("0123456789", min_size=6, max_size=6),
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    sequence=st.integers(min_value=0, max_value=999),
)
def test_only_the_computed_check_character_makes_a_valid_resident_id(region, born, sequence):
    """INFO-2: for any 17-digit body with a valid date, exactly one of the 11 check characters is accepted."""
    body = f"{region}{born:%Y%m%d}{sequence:03d}"
    check = resident_id_check_char(body)
    assert check == ric.calc_check_digit(body + "0")  # agrees with python-stdnum
    parsed = parse_resident_id(body + check, today=TODAY)
    assert parsed.birth_on == born
    assert parsed.sex == ("M" if sequence % 2 else "F")
    for wrong in ID_CHECK_CHARS.replace(check, ""):
        assert refused(parse_resident_id, body + wrong, today=TODAY) == "checksum"


# --- Unified social credit code (INFO-4) -------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91330100799655058B"])
def test_the_examples_are_valid_credit_codes(code):
    """INFO-4: both examples of DOMAIN.md §10.2."""
    parsed = parse_credit_code(code)
    assert parsed.code == code
    assert parsed.warnings == ()
    assert uscc.is_valid(code)


def test_a_credit_code_gives_its_parts():
    """INFO-4: authority, entity type and region code."""
    parsed = parse_credit_code("91350100M000100Y43")
    assert parsed.registration_authority == "9"
    assert parsed.entity_type == "1"
    assert parsed.region_code == "350100"


def test_a_lower_case_credit_code_is_upper_cased():
    """INFO-4."""
    assert parse_credit_code("91330100799655058b").code == "91330100799655058B"


@pytest.mark.parametrize(
    "raw", [" 91350100M000100Y43 ", "91 350100 M000100Y4 3", "９１３５０１００Ｍ０００１００Ｙ４３"]
)
def test_whitespace_in_a_credit_code_is_stripped(raw):
    """INFO-4: spaces and full-width characters."""
    assert parse_credit_code(raw).code == "91350100M000100Y43"


@pytest.mark.parametrize("wrong", sorted(set(CREDIT_CODE_ALPHABET) - {"3"}))
def test_every_wrong_check_character_of_a_credit_code_is_refused(wrong):
    """INFO-4: each of the 30 other check characters of 91350100M000100Y43."""
    assert refused(parse_credit_code, "91350100M000100Y4" + wrong) == "checksum"


@pytest.mark.parametrize("letter", list("IOSVZ"))
@pytest.mark.parametrize("place", [0, 8, 12, 17])
def test_the_letters_i_o_s_v_z_are_forbidden_in_a_credit_code(letter, place):
    """INFO-4: GB 32100 leaves out I, O, S, V and Z, in any place, check character included."""
    code = "91350100M000100Y43"
    assert refused(parse_credit_code, code[:place] + letter + code[place + 1 :]) == "forbidden_letters"


@pytest.mark.parametrize(
    "raw",
    [
        "91350100M000100Y4#",
        "9135-100M000100Y43",
        "913501A0M000100Y43",  # letter in the region code
    ],
)
def test_a_credit_code_with_other_bad_characters_is_refused(raw):
    """INFO-4."""
    assert refused(parse_credit_code, raw) == "format"


@pytest.mark.parametrize("raw", ["91350100M000100Y4", "91350100M000100Y433", "91350100M000100"])
def test_a_credit_code_of_the_wrong_length_is_refused(raw):
    """INFO-4: 17, 19 and 15 characters."""
    assert refused(parse_credit_code, raw) == "length"


@pytest.mark.parametrize("raw", ["", " \n "])
def test_an_empty_credit_code_is_required(raw):
    """INFO-4."""
    assert refused(parse_credit_code, raw) == "required"


def test_a_credit_code_with_an_unknown_region_is_a_warning():
    """INFO-4: as for ID numbers, the region table is not complete enough to refuse."""
    parsed = parse_credit_code(credit_code("91999999M000100Y4"))
    assert parsed.warning_codes == ("unknown_region",)
    assert len(parsed.warnings) == 1


def test_a_centrally_registered_credit_code_carries_no_warning():
    """INFO-4: region 100000 is the national level."""
    assert parse_credit_code(credit_code("91100000M000100Y4")).warnings == ()


def test_a_credit_code_from_a_non_market_authority_is_valid():
    """INFO-4: authority Y (other registrars) is a letter, which stdnum's validate() refuses."""
    code = credit_code("Y1350100M000100Y4")
    assert parse_credit_code(code).registration_authority == "Y"


@given(
    head=st.text(CREDIT_CODE_ALPHABET, min_size=2, max_size=2),
    region=st.text("0123456789", min_size=6, max_size=6),
    organisation=st.text(CREDIT_CODE_ALPHABET, min_size=8, max_size=8),
)
def test_only_the_computed_check_character_makes_a_valid_credit_code(head, region, organisation):
    """INFO-4: for any 17-character body with a valid organisation code, exactly one of the 31 check characters
    is accepted."""
    body = head + region + organisation + organisation_code_check_char(organisation)
    check = credit_code_check_char(body)
    assert check == uscc.calc_check_digit(body)  # agrees with python-stdnum
    assert parse_credit_code(body + check).code == body + check
    for wrong in CREDIT_CODE_ALPHABET.replace(check, ""):
        assert refused(parse_credit_code, body + wrong) == "checksum"


# --- The organisation code inside a credit code (GB 11714, issue 11 item 8) ---------------------------------------


def test_a_credit_code_with_a_wrong_organisation_check_character_is_refused_issue_11_item_8():
    """Issue 11 item 8: 91350100M000100914 has a right GB 32100 check character (place 18) but its organisation
    code M00010091 should end in 4, not 1 (GB 11714)."""
    assert credit_code_check_char("91350100M00010091") == "4"  # the credit code's own check passes
    assert refused(parse_credit_code, "91350100M000100914") == "organisation_checksum"


@pytest.mark.parametrize(
    ("organisation", "check"), [("M000100Y", "4"), ("79965505", "8"), ("D2143569", "X"), ("00000000", "0")]
)
def test_the_organisation_check_character_follows_gb_11714(organisation, check):
    """Issue 11 item 8: weights 3 7 9 10 5 8 4 2, letters A-Z = 10-35, check 11 - (sum mod 11), 10 = X, 11 = 0."""
    assert organisation_code_check_char(organisation) == check


@given(
    head=st.text(CREDIT_CODE_ALPHABET, min_size=2, max_size=2),
    region=st.text("0123456789", min_size=6, max_size=6),
    organisation=st.text(CREDIT_CODE_ALPHABET, min_size=8, max_size=8),
    wrong=st.sampled_from("0123456789X"),
)
def test_only_the_computed_organisation_check_character_makes_a_valid_credit_code(head, region, organisation, wrong):
    """Issue 11 item 8: any other organisation check character is refused, even with a matching place 18."""
    code = complete_credit_code(head + region + organisation)
    assert parse_credit_code(code).code == code
    if wrong != code[16]:
        body = code[:16] + wrong
        assert refused(parse_credit_code, body + credit_code_check_char(body)) == "organisation_checksum"


# --- VIN (INFO-3) ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("vin", ["1M8GDM9AXKP042788", "LSVAM4187C2184847"])
def test_the_examples_are_valid_vins(vin):
    """INFO-3: both examples of DOMAIN.md §10.3, also valid for vininfo."""
    parsed = parse_vin(vin)
    assert parsed.vin == vin
    assert parsed.check_digit_valid
    assert parsed.warnings == ()
    assert VininfoVin(vin).verify_checksum()


def test_a_vin_gives_its_manufacturer_code():
    """INFO-3: the WMI is the first three characters (LSV = SAIC Volkswagen)."""
    assert parse_vin("LSVAM4187C2184847").wmi == "LSV"


def test_a_lower_case_vin_with_spaces_is_normalised():
    """INFO-3."""
    assert parse_vin("  lsvam4187c 2184847\n").vin == "LSVAM4187C2184847"


@pytest.mark.parametrize("wrong", sorted(set(ID_CHECK_CHARS) - {"X"}))
def test_every_wrong_check_digit_of_a_vin_is_refused(wrong):
    """INFO-3: each of the ten other check digits of 1M8GDM9AXKP042788."""
    assert refused(parse_vin, "1M8GDM9A" + wrong + "KP042788") == "checksum"


@pytest.mark.parametrize("letter", list("IOQ"))
@pytest.mark.parametrize("place", [0, 5, 9, 16])
def test_the_letters_i_o_q_are_forbidden_in_a_vin(letter, place):
    """INFO-3: they look like 1 and 0; refused even for imported cars."""
    vin = "LSVAM4187C2184847"
    assert refused(parse_vin, vin[:place] + letter + vin[place + 1 :]) == "forbidden_letters"
    assert refused(parse_vin, vin[:place] + letter + vin[place + 1 :], imported=True) == "forbidden_letters"


@pytest.mark.parametrize("raw", ["LSVAM4187C218484-", "LSVAM4187C21848_7", "LSVAM4187C2184.47"])
def test_a_vin_with_punctuation_is_refused(raw):
    """INFO-3."""
    assert refused(parse_vin, raw) == "format"


@pytest.mark.parametrize("raw", ["LSVAM4187C218484", "LSVAM4187C21848470", "LSVAM4187C21848"])
def test_a_vin_of_the_wrong_length_is_refused(raw):
    """INFO-3: 16, 18 and 15 characters."""
    assert refused(parse_vin, raw) == "length"


@pytest.mark.parametrize("raw", ["", "\t"])
def test_an_empty_vin_is_required(raw):
    """INFO-3."""
    assert refused(parse_vin, raw) == "required"


def test_an_imported_car_with_a_wrong_check_digit_is_accepted_with_a_warning():
    """INFO-3: many European VINs have no check digit (GB 16735 only binds cars built for China)."""
    parsed = parse_vin("WBAPH5C55BA123456", imported=True)
    assert not parsed.check_digit_valid
    assert parsed.warning_codes == ("check_digit",)
    assert len(parsed.warnings) == 1
    assert refused(parse_vin, "WBAPH5C55BA123456") == "checksum"


def test_an_imported_car_with_a_right_check_digit_carries_no_warning():
    """INFO-3."""
    parsed = parse_vin("1M8GDM9AXKP042788", imported=True)
    assert parsed.check_digit_valid
    assert parsed.warnings == ()


@given(vin=st.text(VIN_ALPHABET, min_size=17, max_size=17))
def test_the_vin_check_digit_agrees_with_vininfo(vin):
    """INFO-3: with the right digit in place 9 the VIN is accepted, and vininfo agrees (model-year rule off)."""
    vin = with_check_digit(vin)
    assert parse_vin(vin).check_digit_valid
    assert VininfoVin(vin).verify_checksum(check_year=False) or VininfoVin(vin).assembler.uses_sae_checkdigit is False
    for wrong in ID_CHECK_CHARS.replace(vin[8], ""):
        assert refused(parse_vin, vin[:8] + wrong + vin[9:]) == "checksum"


# --- Mobile number (INFO-1 contact) ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        " 138 0013 8000 ",
        "138-0013-8000",
        "+8613800138000",
        "+86 138 0013 8000",
        "8613800138000",
        "0086 138-0013-8000",
        "１３８００１３８０００",
    ],
)
def test_a_mainland_mobile_number_is_reduced_to_its_11_digits(raw):
    """INFO-1: spaces, hyphens and the +86 / 86 / 0086 country code are dropped."""
    assert parse_mobile(raw) == "13800138000"


@pytest.mark.parametrize("first_two", ["13", "14", "15", "16", "17", "18", "19"])
def test_every_mobile_block_from_13_to_19_is_accepted(first_two):
    """INFO-1."""
    assert parse_mobile(first_two + "912345678") == first_two + "912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "12800138000",  # 12 is no mobile block
        "23800138000",  # not starting with 1
        "1380013800",  # 10 digits
        "138001380000",  # 12 digits
        "1380013800A",
        "010-62345678",  # a Beijing landline
        "+86 010 6234 5678",
        "(138)00138000",
    ],
)
def test_a_number_that_is_no_mainland_mobile_is_refused(raw):
    """INFO-1."""
    assert refused(parse_mobile, raw) == "format"


@pytest.mark.parametrize("raw", ["+852 9123 4567", "+1 415 555 0100", "00852 91234567"])
def test_a_foreign_country_code_is_refused(raw):
    """INFO-1: only +86 mobiles are taken."""
    assert refused(parse_mobile, raw) == "prefix"


@pytest.mark.parametrize("raw", ["", " - "])
def test_an_empty_mobile_number_is_required(raw):
    """INFO-1."""
    assert refused(parse_mobile, raw) == "required"


# --- The error itself --------------------------------------------------------------------------------------------


def test_a_refusal_is_a_value_error_with_a_readable_message():
    """INFO-2: forms can catch ValueError; the message is plain text for the user."""
    with pytest.raises(ValueError, match=r".+") as excinfo:
        parse_resident_id("110105491231002", today=TODAY)
    error = excinfo.value
    assert isinstance(error, InvalidIdentifier)
    assert error.code == "length"
    assert isinstance(error.message, str)
    assert error.message
    assert str(error) == error.message
