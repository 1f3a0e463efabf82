"""GB/T 4754-2017 sections and divisions (国民经济行业分类) behind industry classification, CLASS-1.

Pure data: no database (STYLE rule 5).
"""

import pytest

from creditdesk.customers.industries import DIVISIONS, SECTIONS, section_of

# The standard's division ranges per section (DOMAIN.md §9; 20 sections, 97 divisions).
RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def test_there_are_twenty_sections_a_to_t():
    """CLASS-1: the 2017 standard has 20 sections, lettered A to T."""
    assert list(SECTIONS) == list("ABCDEFGHIJKLMNOPQRST")


def test_section_names_match_the_domain_reference():
    """CLASS-1: section names as listed in DOMAIN.md §9."""
    assert SECTIONS["D"] == "电力、热力、燃气及水生产和供应业"
    assert SECTIONS["I"] == "信息传输、软件和信息技术服务业"
    assert SECTIONS["S"] == "公共管理、社会保障和社会组织"
    assert SECTIONS["T"] == "国际组织"


def test_there_are_ninety_seven_divisions_numbered_one_to_ninety_seven():
    """CLASS-1: 97 divisions (大类), two-digit codes 01–97 without gaps."""
    assert sorted(DIVISIONS) == list(range(1, 98))


@pytest.mark.parametrize("division", range(1, 98))
def test_every_division_sits_in_the_section_of_its_range(division):
    """CLASS-1: each division belongs to the section whose code range contains it, and has a Chinese name."""
    expected = next(letter for letter, (low, high) in RANGES.items() if low <= division <= high)
    section, name = DIVISIONS[division]

    assert section == expected
    assert section_of(division) == expected
    assert name
    assert all(not ("A" <= ch <= "z") for ch in name)


def test_every_section_has_at_least_one_division():
    """CLASS-1: no empty section."""
    assert {section for section, _name in DIVISIONS.values()} == set(SECTIONS)


@pytest.mark.parametrize(
    ("division", "name"),
    [
        (5, "农、林、牧、渔专业及辅助性活动"),
        (36, "汽车制造业"),
        (52, "零售业"),
        (58, "多式联运和运输代理业"),
        (59, "装卸搬运和仓储业"),
        (65, "软件和信息技术服务业"),
        (70, "房地产业"),
        (72, "商务服务业"),
        (81, "机动车、电子产品和日用产品修理业"),
        (96, "基层群众自治组织及其他组织"),
    ],
)
def test_known_division_names_are_spelled_as_in_the_standard(division, name):
    """CLASS-1: a sample of division names, including those renamed in the 2017 edition (05, 11, 58, 59)."""
    assert DIVISIONS[division][1] == name


@pytest.mark.parametrize("division", [0, 98, 100, -1, True])
def test_section_of_an_unknown_division_raises_key_error(division):
    """CLASS-1: codes outside 01–97 do not exist (and True is not division 01)."""
    with pytest.raises(KeyError):
        section_of(division)
