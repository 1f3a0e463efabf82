"""The zh-Hans catalogue is complete and compiled, so a fresh clone shows Chinese without gettext (CI runs these:
an untranslated or fuzzy entry, or a .mo older than its .po, fails the build)."""

import gettext
import re
from pathlib import Path

import pytest
from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries(text: str) -> list[tuple[str, str, bool]]:
    entries = []
    for block in text.split("\n\n"):
        lines = block.strip().splitlines()
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        msgid, msgstr, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
                line = line[6:]
            elif line.startswith("msgstr"):
                current = msgstr
                line = line.split(" ", 1)[1]
            elif not line.startswith('"'):
                continue
            if current is not None:
                current.append(line.strip().strip('"'))
        if msgid:
            entries.append(("".join(msgid), "".join(msgstr), fuzzy))
    return entries


def test_every_message_has_a_chinese_translation():
    entries = _entries((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr, fuzzy in entries if msgid and (not msgstr or fuzzy)]
    assert untranslated == []


def test_the_compiled_catalogue_ships_with_its_source():
    mo, po = LOCALE / "django.mo", LOCALE / "django.po"
    assert mo.is_file()
    assert mo.stat().st_size > 1000
    assert po.is_file()


ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(0)), text)


def _compiled_keys(text: str) -> dict[object, str]:
    """The .po's translated, non-fuzzy entries as the .mo keys them: msgid, (msgid, 0) for plurals, with the
    context as `context\x04msgid`."""
    keys: dict[object, str] = {}
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        current = None
        for line in block.strip().splitlines():
            if line.startswith("#"):
                if line.startswith("#,") and "fuzzy" in line:
                    fields["fuzzy"] = "1"
                continue
            if not line.startswith('"'):
                current, _sep, line = line.partition(" ")
                fields[current] = ""
            fields[current] = fields.get(current, "") + _unescape(line.strip()[1:-1])
        msgid = fields.get("msgid", "")
        if not msgid or "fuzzy" in fields:
            continue
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in fields:
            keys[(msgid, 0)] = fields.get("msgstr[0]", "")
        else:
            keys[msgid] = fields.get("msgstr", "")
    return keys


def test_the_compiled_catalogue_is_not_stale():
    """Every translation of the .po is in the .mo, as written (`make messages` compiles; a forgotten run fails)."""
    with (LOCALE / "django.mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    source = _compiled_keys((LOCALE / "django.po").read_text(encoding="utf-8"))
    assert len(source) > 50
    stale = [key for key, msgstr in source.items() if catalog.get(key) != msgstr]
    assert stale == []


def test_the_detector_sees_a_fuzzy_entry():
    text = (
        'msgid "Old"\nmsgstr "旧"\n\n#, fuzzy\n#| msgid "Olde"\nmsgid "New"\nmsgstr "新"\n\nmsgid "Empty"\nmsgstr ""\n'
    )
    assert [m for m, s, f in _entries(text) if not s or f] == ["New", "Empty"]


@pytest.mark.parametrize(
    "english",
    ["- Select an option -", "Django administration", "Site administration"],
)
def test_djangos_own_strings_on_our_screens_read_as_chinese(english):
    with translation.override("zh-hans"):
        assert translation.gettext(english) != english
