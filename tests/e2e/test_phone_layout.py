"""Phones: on a 390-pixel screen no page scrolls sideways; tables scroll inside their box, buttons wrap."""

from __future__ import annotations

import pytest

from caseflow.demo import load_demo
from tests.e2e.test_mobility_in_browser import log_in

PHONE = {"width": 390, "height": 844}
PAGES = {
    "office@demo.example.org": ["/queue", "/queue/mobility/faculty_screening", "/queue/work_permit/document_check",
                                "/calls"],
    "mob.submitted@demo.example.org": ["/", "/calls"],
}


@pytest.fixture
def demo(app):
    load_demo()


@pytest.mark.parametrize("person", sorted(PAGES))
def test_no_page_is_wider_than_a_phone(new_page, demo, person):
    page = new_page(viewport=PHONE)  # axe checks each page at this size too
    if True:
        log_in(page, person, "demo-password")
        for path in PAGES[person]:
            response = page.goto(path)
            assert response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
