"""Markup every page must have: one h1, headings in order, labelled controls, unique ids, nothing inline."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


class PageStructure(HTMLParser):
    """Collect headings, form controls, labels and ids of a page."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.controls: list[str] = []
        self.labelled: set[str] = set()
        self.ids: list[str] = []
        self.inline: list[str] = []  # what the pages' policy (caseflow.security_headers) would refuse

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.inline.append(f"<{tag}>")
        self.inline += [f"<{tag} {name}=>" for name, value in attrs
                        if name == "style" or name.startswith("on") or "javascript:" in (value or "").lower()]
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append(int(tag[1]))
        elif tag == "label" and attributes.get("for"):
            self.labelled.add(attributes["for"])
        elif tag in ("input", "select", "textarea") and attributes.get("type") not in ("hidden", "submit"):
            self.controls.append(attributes.get("id") or f"<{tag} name={attributes.get('name')}>")


PAGES = [
    (None, "/"), (None, "/login"), (None, "/signup"),
    ("applicant", "/"), ("applicant", "/apply/mobility"), ("applicant", "/calls"), ("applicant", "case"),
    ("screener", "/queue"), ("screener", "case"), ("screener", "/queue/mobility/faculty_screening"),
    ("office", "/calls"), ("office", "case"), ("admin", "/admin/users"), ("admin", "/admin/faculties"),
    ("office", "/cases/424242"),
]


@pytest.mark.parametrize("who, url", PAGES)
def test_page_structure_is_accessible(client, login, users, make_case, who, url):
    case = make_case(state="faculty_screening")
    browser = login(users[who]) if who else client
    response = browser.get(f"/cases/{case.id}" if url == "case" else url)
    assert response.status_code in (200, 404)
    page = PageStructure()
    page.feed(response.get_data(as_text=True))
    assert page.headings.count(1) == 1, "exactly one h1"
    assert page.headings[0] == 1
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        assert after <= before + 1, f"heading level skips from h{before} to h{after}"
    unlabelled = [control for control in page.controls if control not in page.labelled]
    assert not unlabelled, f"controls without a label: {unlabelled}"
    duplicates = {i for i in page.ids if page.ids.count(i) > 1}
    assert not duplicates, f"ids used twice: {duplicates}"


@pytest.mark.parametrize("who, url", PAGES)
def test_page_has_no_script_and_no_inline_style(client, login, users, make_case, who, url):
    case = make_case(state="faculty_screening")
    browser = login(users[who]) if who else client
    page = PageStructure()
    page.feed(browser.get(f"/cases/{case.id}" if url == "case" else url).get_data(as_text=True))
    assert page.inline == []


# In the templates' source too, for the pages no test above draws.  E-mails are no pages: a mail
# program reads styles only from style attributes.
INLINE = re.compile(r"<script|<style|\sstyle\s*=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(path.relative_to(TEMPLATES).as_posix()
                                            for path in TEMPLATES.rglob("*.html") if "email" not in path.parts))
def test_no_page_template_has_a_script_or_an_inline_style(template):
    assert INLINE.findall((TEMPLATES / template).read_text(encoding="utf-8")) == []
