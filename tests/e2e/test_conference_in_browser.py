"""A full event in a real Chromium: the third registration waits, and moves up when a place is freed."""

from __future__ import annotations

import re

from tests.conftest import PASSWORD

TYPE = "conference_registration"


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def register(page, call):
    page.goto(f"/calls/{call.id}")
    page.get_by_role("link", name=re.compile("Apply|Register")).first.click()
    page.get_by_label("University or organisation").fill("Kazakh-German University")
    page.get_by_label("Country").select_option(label="Kazakhstan")
    page.get_by_label("I take part as").select_option(label="Guest")
    page.get_by_role("button", name=re.compile("Submit|Register")).click()
    page.get_by_text(re.compile(r"CONF-\d{4}-\d{5}")).first.wait_for()
    return page.url


def test_a_full_event_puts_the_third_guest_on_the_waiting_list_until_someone_cancels(new_page, make_user, make_call):
    event = make_call(TYPE, name="German and Technology 2027", seats=2,
                      description="Posters of students from three countries.")
    pages, urls = [], []
    for index in range(3):
        user = make_user("applicant", email=f"guest{index}@example.org")
        page = new_page()
        log_in(page, user.email)
        urls.append(register(page, event))
        pages.append(page)

    first, _second, third = pages
    assert "On the waiting list" in third.locator("[aria-current=step]").inner_text()

    anonymous = new_page()
    anonymous.goto(f"/calls/{event.id}")
    assert "Posters of students from three countries." in anonymous.content()

    first.goto(urls[0])
    first.get_by_label("Yes: this closes the case, and it cannot be undone.").check()  # it asks to confirm
    first.get_by_role("button", name="Cancel my registration").click()
    first.get_by_text("Registration cancelled. The case is now “Cancelled”.").wait_for()

    third.goto(urls[2])
    assert "Registered" in third.locator("[aria-current=step]").inner_text()
    assert "The system" in third.locator("ol.history").inner_text()
