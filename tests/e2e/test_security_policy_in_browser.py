"""The pages' Content-Security-Policy in a real Chromium: the key pages draw with their style sheet and
the browser refuses nothing on them; another site cannot show them in a frame.
"""

from __future__ import annotations

from tests.e2e.test_more_types_in_browser import log_in, staff_session


def watch(page) -> list[str]:
    """Collect what Chromium says about the page's policy (a refused style, script or frame) and any script error."""
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    page.on("pageerror", lambda error: said.append(f"page error: {error}"))
    return said


def refusals(said: list[str]) -> list[str]:
    return [text for text in said if "Content Security Policy" in text or text.startswith("page error")]


def visit(page, said, address):
    """Open ``address``; assert it came with the policy, drew with our style sheet, and nothing was refused."""
    response = page.goto(address)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], address
    # The one style sheet loaded and applies (style-src 'self'): the header's class is styled by it.
    rules = page.evaluate("() => Array.from(document.styleSheets, sheet => sheet.cssRules.length)")
    assert len(rules) == 1 and rules[0] > 0, address
    assert refusals(said) == [], address


def test_key_pages_draw_with_nothing_refused(new_page, make_user, make_call, make_case, users):
    call = make_call("mobility", name="Erasmus+ 2027/28")
    anonymous = new_page()
    said = watch(anonymous)
    for address in ("/", "/login", "/signup", f"/calls/{call.id}", "/nowhere"):
        visit(anonymous, said, address)

    case = make_case("mobility", state="faculty_screening", call=call)
    applicant = new_page()
    said = watch(applicant)
    log_in(applicant, users["applicant"].email)  # typed into the form, sent by its button
    for address in ("/", "/apply/mobility", f"/cases/{case.id}", "/calls", "/calendar"):
        visit(applicant, said, address)

    office = staff_session(new_page, users["office"])
    said = watch(office)
    for address in ("/queue", f"/cases/{case.id}", "/calls", f"/calls/{call.id}/edit", "/cases/424242"):
        visit(office, said, address)

    admin = staff_session(new_page, users["admin"])
    said = watch(admin)
    for address in ("/admin/users", "/admin/faculties", "/admin/lists", "/admin/mail"):
        visit(admin, said, address)


def test_another_site_cannot_show_a_page_in_a_frame(new_page, live_server):
    page = new_page()
    said = watch(page)
    page.set_content(f'<iframe src="{live_server}/login" title="framed"></iframe>')
    for _ in range(50):
        if any("frame-ancestors" in text for text in said):
            break
        page.wait_for_timeout(100)
    assert any("frame-ancestors 'none'" in text for text in refusals(said)), said
    assert page.frame_locator("iframe").get_by_role("button", name="Log in").count() == 0
