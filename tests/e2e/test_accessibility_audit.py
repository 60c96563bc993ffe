"""The audit the browser tests run on every page they open finds what axe-core calls serious or critical."""

from __future__ import annotations

from tests.e2e.axe import violations


def test_the_audit_catches_an_image_without_text_and_a_nameless_button(browser):
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><head><title>t</title></head><body><main>'
                         '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><button></button></main></body></html>')
        rules = " ".join(violations(page))
        assert "image-alt" in rules and "button-name" in rules
    finally:
        page.close()
