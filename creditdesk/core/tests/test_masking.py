"""Sensitive values are shown masked (ARCHITECTURE rule 7, PRIN-3): pure rules, no database."""

import pytest

from creditdesk.core.masking import (
    MASK_KINDS,
    mask,
    mask_account,
    mask_address,
    mask_credit_code,
    mask_id_number,
    mask_mobile,
    mask_name,
)


def test_an_id_number_shows_its_first_six_and_last_four_characters():
    """PRIN-3: 110105********002X, the form the issue specifies."""
    assert mask_id_number("11010519491231002X") == "110105********002X"
    assert mask_id_number("110105 19491231 002x") == "110105********002x"
    assert mask_id_number("110105491231002") == "110105*****1002"  # the old 15-digit form


def test_a_mobile_number_shows_its_first_three_and_last_four_digits():
    """PRIN-3: 138****1234."""
    assert mask_mobile("13812341234") == "138****1234"
    assert mask_mobile("138-1234-1234") == "138****1234"


def test_a_bank_account_shows_only_its_last_four_digits_and_hides_its_length():
    """PRIN-3: ****2233, whatever the account's length."""
    assert mask_account("6222020200112233") == "****2233"
    assert mask_account("6222 0202 0011 2233 445") == "****3445"


def test_a_credit_code_shows_its_first_eight_and_last_two_characters():
    """PRIN-3: the registration authority, type and region stay readable; the organisation code is hidden."""
    assert mask_credit_code("91350100M000100Y43") == "91350100********43"


def test_a_name_shows_only_its_first_character():
    """PRIN-3: 张**."""
    assert mask_name("张三丰") == "张**"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("张") == "*"


def test_an_address_shows_only_its_first_six_characters():
    """PRIN-3: province, city and district, never the street."""
    assert mask_address("北京市朝阳区建国路88号") == "北京市朝阳区****"
    assert mask_address("朝阳区建国路") == "****"


@pytest.mark.parametrize("kind", MASK_KINDS)
@pytest.mark.parametrize("blank", [None, "", "   "])
def test_blank_values_mask_to_an_empty_string(kind, blank):
    assert mask(kind, blank) == ""


@pytest.mark.parametrize(
    ("kind", "short", "expected"),
    [
        ("id_number", "1101051949", "**********"),
        ("id_number", "1101051949123", "*************"),
        ("mobile", "1381234123", "**********"),
        ("credit_code", "9135010012345", "*************"),
        ("bank_account", "1234567", "****"),
        ("bank_account", "12", "****"),
        ("address", "北京", "****"),
    ],
)
def test_values_too_short_for_their_rule_are_all_stars(kind, short, expected):
    """PRIN-3: a partial or malformed value never reveals more than a well-formed one would."""
    assert mask(kind, short) == expected


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("id_number", "11010519491231002X"),
        ("mobile", "13812341234"),
        ("credit_code", "91350100M000100Y43"),
        ("bank_account", "6222020200112233445"),
        ("name", "张三丰"),
        ("address", "北京市朝阳区建国路88号"),
    ],
)
def test_a_masked_value_always_hides_at_least_part_of_the_value(kind, value):
    masked = mask(kind, value)
    assert "*" in masked
    assert masked != value
    assert sum(1 for c in masked if c != "*") < len(value)


def test_mask_dispatches_by_kind_and_refuses_unknown_kinds():
    assert mask("mobile", "13812341234") == "138****1234"
    assert mask("bank_account", "6222020200112233") == "****2233"
    with pytest.raises(ValueError, match="unknown mask kind"):
        mask("email", "a@example.com")
