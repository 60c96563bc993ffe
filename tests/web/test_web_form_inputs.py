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


def test_required_fields_are_marked_before_the_first_submit(login, users, make_call):
    """Before anyone presses Submit, each required field shows its star and each optional one says so."""
    from caseflow.catalog import catalog

    call = make_call("conference_registration")
    page = login(users["applicant"]).get(f"/apply/conference_registration?call={call.id}").get_data(as_text=True)
    assert "Fields marked * are required." in page and "has-error" not in page
    boxes = {found.group(2): found.group(1) for found in re.finditer(
        r'<div class="field([^"]*)">\s*<label for="([^"]+)"', page)}
    workflow = catalog()["conference_registration"]
    shown = [spec for spec in workflow.form_fields if spec.name in boxes]
    assert {spec.required for spec in shown} == {True, False}  # the form has both kinds
    for spec in shown:
        assert ("is-required" in boxes[spec.name]) == spec.required, spec.name
    # The star is beside the label, not in it: the field's name is its label alone.
    star = re.search(r'<label for="email">([^<]*)</label>\s*<span class="req-mark" aria-hidden="true">', page)
    assert star is not None and star.group(1).strip() == str(workflow.field("email").label)
    assert re.search(r'<label for="phone">[^<]*<span class="req">\(optional\)</span></label>\s*<input', page)
