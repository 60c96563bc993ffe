"""Form controls that help a person fill them in: a phone's keypad, the browser's saved address."""

from __future__ import annotations

import re


def control(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|select|textarea)\b[^>]*\bname="{name}"[^>]*>', page)
    assert found, f"no control {name}"
    return found.group(0)


def test_phone_and_e_mail_fields_are_typed_for_the_browser(login, users, make_call):
    call = make_call()
    page = login(users["applicant"]).get(f"/apply/mobility?call={call.id}").get_data(as_text=True)
    phone, email = control(page, "phone"), control(page, "email")
    assert 'type="tel"' in phone and 'autocomplete="tel"' in phone
    assert 'type="email"' in email and 'autocomplete="email"' in email
