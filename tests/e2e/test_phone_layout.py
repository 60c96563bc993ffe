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
    "admin@demo.example.org": ["/admin/mail", "/admin/users"],
}


@pytest.fixture
def demo(app):
    load_demo()


def _a_case_with_a_long_address(person: str) -> list[str]:
    """The trial's case page scrolled sideways by 62 px: an employer's long e-mail address in its answers."""
    if not person.startswith("office@"):
        return []
    from sqlalchemy import select

    from caseflow.extensions import db
    from caseflow.models.cases import Case

    case = db.session.scalars(select(Case).where(Case.type == "work_permit").order_by(Case.id)).first()
    case.data = {**case.data, "contact_email": "international.human.resources.department@kstu-university.example"}
    db.session.commit()
    return [f"/cases/{case.id}"]


@pytest.mark.parametrize("person", sorted(PAGES))
def test_no_page_is_wider_than_a_phone(new_page, demo, person):
    page = new_page(viewport=PHONE)  # axe checks each page at this size too
    if True:
        log_in(page, person, "demo-password")
        for path in PAGES[person] + _a_case_with_a_long_address(person):
            response = page.goto(path)
            assert response.status == 200, path
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width}px wide on a {PHONE['width']}px phone"
