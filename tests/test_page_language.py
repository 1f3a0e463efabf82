"""Every page reads as Chinese business text (issue 11, "Done when"; STYLE.md "Screens").

The demo is seeded once; each demo staff member (one per role) signs in and walks every page reachable from
the navigation, following one link per URL pattern (the first detail of every list) and every application's
decision page. The visible text (scripts and styles stripped, plus placeholders, titles and button values)
must hold no `snake_case` or dotted code (`plan.created`, `above_maximum`), no `True`/`False`/`None`, and no
English word that should have been translated. Names, identifiers (VINs, credit codes), units, amounts,
rates and dates are allowed. Downloads and exports are not visited.
"""

from __future__ import annotations

import importlib
import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from creditdesk.accounts.demo import DEMO_STAFF
from creditdesk.accounts.tests.otp import sign_in

pytestmark = pytest.mark.django_db

SKIPPED_TAGS = {"script", "style", "template", "noscript"}
VOID_TAGS = {"input", "br", "img", "meta", "link", "hr", "col", "source", "wbr"}
TEXT_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
# URL names that answer a file (downloads, exports, copies), a second-factor step or an action.
SKIPPED_URL_NAMES = re.compile(r"export|download|copy|document|condition-report$|unmask|logout|otp|set_language")
# Pages visited for every instance, not one per pattern, by the risk officer (who sees every demo application):
# the "the decision page of every demo application reads as Chinese business text".
EVERY_INSTANCE = {"assessment:decision", "assessment:detail", "lending:plan-detail"}
EVERY_INSTANCE_ROLE = "risk"
MAX_PAGES_PER_ROLE = 120

SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
DOTTED = re.compile(r"\b[a-z][a-z_]*(?:\.[a-z_]+)+\b")
BOOLEAN = re.compile(r"\b(?:True|False|None|true|false|none|null)\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
EMAIL = re.compile(r"\S+@\S+")
# Latin words a Chinese screen may show: the brand, the language switcher, units and established abbreviations.
ALLOWED_WORDS = {
    "creditdesk",
    "English",
    "htmx",
    "km",
    "kg",
    "LTV",
    "DTI",
    "APR",
    "IRR",
    "LPR",
    "VIN",
    "GPS",
    "ID",
    "API",
    "OTP",
    "TOTP",
    "PDF",
    "CSV",
    "JSON",
    "OpenAPI",
    "PBoC",
    "A",
    "B",
    "C",
    "D",
    "E",
    "N",
    "M",
    "HTTP",
    "IP",
    "GB",
    "UTC",
    "Excel",
    "SQ",
    "FA",
    "JPEG",
    "PNG",
    "MB",
    "KB",
}
# Identifiers and codes staff legitimately read (requirement IDs in a rule label, VINs, plates, credit codes).
IDENTIFIER = re.compile(
    r"\b(?:[A-Z]{2,6}-\d+(?:\.\d+)*|[A-HJ-NPR-Z0-9]{17}|[0-9A-Z]{18}|\d+[A-Za-z]+\d*[A-Za-z0-9]*|[A-Za-z]+\d+\w*)\b"
)


class _Text(HTMLParser):
    """The text a person sees, and the links on the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.links: list[str] = []
        self.blank_cells = 0
        self._stack: list[str] = []  # open elements whose text is not read (scripts, translate="no")
        self._details = 0  # inside a details table (label | value rows)
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in VOID_TAGS:
            pass
        elif tag in SKIPPED_TAGS or values.get("translate") == "no" or self._stack:
            self._stack.append(tag)
        if tag == "table" and "details" in (values.get("class") or "").split():
            self._details += 1
        if tag == "td" and self._details and not self._stack:
            self._cell = []
        if self._stack:
            return
        if tag == "a" and values.get("href") and "download" not in values:
            self.links.append(values["href"] or "")
        for name in TEXT_ATTRIBUTES:
            if values.get(name):
                self.chunks.append(values[name] or "")
        if tag == "input" and values.get("type") in {"submit", "button"} and values.get("value"):
            self.chunks.append(values["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
        if tag == "table" and self._details:
            self._details -= 1
        if tag == "td" and self._cell is not None:
            self.blank_cells += not "".join(self._cell).strip()
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if not self._stack and data.strip():
            self.chunks.append(data.strip())


def findings(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """What in `text` is a code, a boolean or untranslated English; `names` (of people, companies, cars, plates)
    are data, not interface text."""
    found: list[str] = []
    text = EMAIL.sub(" ", text)
    for name in names:
        if name in text:
            text = text.replace(name, " ")
    found += [f"code {m}" for m in SNAKE.findall(text)]
    found += [f"code {m}" for m in DOTTED.findall(text)]
    found += [f"boolean {m}" for m in BOOLEAN.findall(text)]
    rest = IDENTIFIER.sub(" ", SNAKE.sub(" ", DOTTED.sub(" ", text)))
    words = [w for w in WORD.findall(rest) if w not in ALLOWED_WORDS and not BOOLEAN.fullmatch(w)]
    found += [f"english {w}" for w in words]
    return found


def page_text(html: str) -> tuple[list[str], list[str], int]:
    parser = _Text()
    parser.feed(html)
    return parser.chunks, parser.links, parser.blank_cells


@pytest.fixture
def demo(settings, business_on):
    settings.DEBUG = True
    from django.apps import apps

    importlib.import_module("creditdesk.lending.migrations.0002_default_products_lpr_and_grid").seed(apps, None)
    call_command("demo", stdout=io.StringIO())
    settings.DEBUG = False


def _key(target: str, every_instance: bool) -> str | None:
    """The URL pattern a path belongs to (one visit per pattern and tab), or None when it is not to be visited."""
    parts = urlsplit(target)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    name = match.view_name
    if SKIPPED_URL_NAMES.search(name) or parts.path.startswith(("/api/", "/static/", "/media/")):
        return None
    # The Django admin: its index and the section (app) pages, whose names staff read; the change forms of
    # third-party models are the system administrator's tool and stay as their packages ship them.
    if name.startswith("admin:") and name not in {"admin:index", "admin:app_list"}:
        return None
    if name in EVERY_INSTANCE and every_instance:
        return target
    texts = sorted(f"{k}={v}" for k, v in match.kwargs.items() if isinstance(v, str))
    return name + "?" + "&".join(texts) + "#" + parts.query


def data_names() -> frozenset[str]:
    """Names in the demo data with Latin letters in them (car models such as 宋PLUS DM-i, plates such as 沪A…)."""
    from creditdesk.customers.models import Customer, Partner
    from creditdesk.vehicles.models import Vehicle

    values: set[str] = set()
    for brand, model, plate in Vehicle.objects.values_list("brand", "model_name", "plate_number"):
        values.update([brand, model, plate, f"{brand} {model}"])
    values.update(Customer.objects.values_list("name", flat=True))
    values.update(Partner.objects.values_list("name", flat=True))
    latin = re.compile(r"[A-Za-z]")
    return frozenset(sorted((v for v in values if v and latin.search(v)), key=len, reverse=True))


def crawl(client, *, every_instance: bool, names: frozenset[str]) -> tuple[dict[str, list[str]], int]:
    """Walk the pages reachable from home; ({path: findings} for the pages with any, pages read)."""
    seen: set[str] = set()
    queue: deque[str] = deque(["/"])
    problems: dict[str, list[str]] = {}
    visited = read = 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        path = queue.popleft()
        key = _key(path, every_instance)
        if key is None or key in seen:
            continue
        seen.add(key)
        response = client.get(path)
        visited += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        read += 1
        chunks, links, blanks = page_text(response.content.decode())
        found = sorted({f for chunk in chunks for f in findings(chunk, names)})
        if blanks:
            found.append(f"{blanks} blank field(s) instead of —")
        if found:
            problems[path] = found
        for link in links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            # Filters and pages of a list are the same page; tabs of a detail are pages of their own.
            tab = parse_qs(parts.query).get("tab")
            queue.append(parts.path + (f"?tab={tab[0]}" if tab else ""))
    return problems, read


def test_the_detector_knows_codes_booleans_and_english():
    assert findings("rule=ADM-2.debt_to_income, reason=above_maximum")
    assert findings("plan.created")
    assert findings("registration_certificate=True")
    assert findings("- Select an option -")
    assert findings("本金 Principal")
    assert findings("评级政策 built-in")
    assert not findings("张伟 · 2027-03-15 · 56,197.78 元 · 6.50 % · 36 个月 · LTV 70 % · LSVAU2180N2123456")


def test_every_page_of_every_role_reads_as_chinese(client, demo):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(username__in=[username for username, *_ in DEMO_STAFF])
    report: dict[str, dict[str, list[str]]] = {}
    names = data_names()
    pages: dict[str, int] = {}
    for user in users:
        client.logout()
        problems, pages[user.username] = crawl(
            sign_in(client, user), every_instance=user.username == EVERY_INSTANCE_ROLE, names=names
        )
        if problems:
            report[user.username] = problems
    # Every role reads its pages (a crawl that stopped at home would prove nothing).
    assert len(pages) == len(DEMO_STAFF), pages
    assert min(pages.values()) >= 5, pages
    assert pages[EVERY_INSTANCE_ROLE] >= 40, pages
    lines = [f"{who} {path}: {', '.join(found)}" for who, pages in report.items() for path, found in pages.items()]
    assert not lines, "\n".join(lines)
