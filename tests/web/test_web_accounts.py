"""Log in, log out, sign up, and the admin's account pages, as a person uses them."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from web_helpers import error_beside, submit, text

from caseflow.extensions import db
from caseflow.models.accounts import Faculty, User
from caseflow.models.outbox import OutboxMessage
from caseflow.web.access import is_safe_next
from tests.notify_helpers import mailed, mailed_link

SECRET = "web-test-password"


@pytest.fixture
def users(users):
    """The suite's users; the two these tests log in with have a password known here."""
    for key in ("applicant", "office"):
        users[key].set_password(SECRET)
    db.session.commit()
    return users


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


# ---------------------------------------------------------------- is_safe_next


@pytest.mark.parametrize("target", ["/", "/cases/12", "/queue/mobility/x?page=2", "/calls#new", "/a//b"])
def test_next_accepts_paths_of_this_site(target):
    assert is_safe_next(target)


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example",  # absolute URL
        "http://evil.example/cases/1",
        "//evil.example",  # scheme-relative
        "///evil.example",
        "/\\evil.example",  # browsers read \ as /
        "\\\\evil.example",
        "\\/evil.example",
        "/\t/evil.example",  # browsers drop tabs and newlines: //evil.example
        "/\n/evil.example",
        " //evil.example",
        "https:/evil.example",  # a scheme without //
        "javascript:alert(1)",
        "evil.example",  # not a path
        "cases/1",
        "/" + "a" * 3000,  # absurdly long
    ],
)
def test_next_refuses_everything_that_could_leave_the_site(target):
    assert not is_safe_next(target)


# ---------------------------------------------------------------------- login


def test_login_with_right_password_greets_and_goes_home(client, users):
    response = submit(client, "/login", {"email": users["applicant"].email, "password": SECRET})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    page = client.get("/")
    assert "Welcome, Asel Applicant." in text(page)
    assert "My applications" in text(page)


def test_login_ignores_case_and_spaces_in_the_email(client, users):
    email = "  " + users["office"].email.upper() + " "
    response = submit(client, "/login", {"email": email, "password": SECRET}, follow_redirects=True)
    assert "Welcome, Olga Office." in text(response)


@pytest.mark.parametrize("known_email, password", [(True, "wrong-password"), (False, SECRET)])
def test_wrong_password_or_unknown_email_get_the_same_generic_message(client, users, known_email, password):
    email = users["applicant"].email if known_email else "nobody@example.test"
    response = submit(client, "/login", {"email": email, "password": password})
    assert response.status_code == 422
    assert "Wrong e-mail or password." in text(response)
    assert 'aria-describedby="login-error"' in response.get_data(as_text=True)
    assert "Log in" in text(client.get("/"))  # still anonymous


def test_switched_off_account_cannot_log_in(client, users):
    users["office"].active = False
    db.session.commit()
    response = submit(client, "/login", {"email": users["office"].email, "password": SECRET})
    assert response.status_code == 422
    assert "switched off" in text(response)


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\u202e", "\u2068"],
                         ids=["nul", "escape", "right-to-left-override", "first-strong-isolate"])
def test_login_email_with_a_control_character_is_told_so(client, users, character):
    email = users["applicant"].email.replace("@", f"{character}@")
    response = submit(client, "/login", {"email": email, "password": SECRET})
    assert response.status_code == 422
    assert ("Remove the invisible control characters (such as a tab, a line break or a right-to-left override) "
            "from this text.") in text(response)
    assert "Log in" in text(client.get("/"))  # still anonymous


def test_login_password_with_nul_is_refused_and_one_with_a_tab_still_logs_in(client, users):
    response = submit(client, "/login", {"email": users["applicant"].email, "password": SECRET + "\x00"})
    assert response.status_code == 422
    assert "A password cannot hold the NUL character; choose another one." in text(response)
    # A password is hashed, never shown: an invisible character in it does no harm, and is kept.
    users["applicant"].set_password("tab\tin-the-password")
    db.session.commit()
    response = submit(client, "/login", {"email": users["applicant"].email, "password": "tab\tin-the-password"})
    assert response.status_code == 303


def test_protected_page_sends_to_login_and_back(client, users):
    response = client.get("/queue")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")
    login_page = response.headers["Location"]
    assert 'name="next" type="hidden" value="/queue"' in client.get(login_page).get_data(as_text=True)
    form = {"email": users["office"].email, "password": SECRET, "next": "/queue"}
    assert submit(client, login_page, form, action="/login").headers["Location"] == "/queue"


@pytest.mark.parametrize("target", ["//evil.example", "/\\evil.example", "https://evil.example",
                                    "\\\\evil.example", "/\t/evil.example"])
def test_login_never_redirects_off_site(client, users, target):
    response = submit(client, "/login", {"email": users["applicant"].email, "password": SECRET, "next": target})
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_logged_in_user_visiting_login_is_sent_on(login, users):
    response = login(users["applicant"]).get("/login?next=https://evil.example")
    assert response.headers["Location"] == "/"


# --------------------------------------------------------------------- logout


def test_logout_is_a_post_with_csrf_token(login, users):
    client = login(users["applicant"])
    assert client.get("/logout").status_code == 405
    refused = client.post("/logout")
    assert refused.status_code == 400
    assert "The form expired or was sent from elsewhere" in text(refused)
    assert "Asel Applicant" in text(client.get("/"))  # still logged in
    response = submit(client, "/", {}, action="/logout", follow_redirects=True)
    assert "You are logged out." in text(response)
    assert "Log in" in text(response)
    assert client.get("/account").status_code == 302


# --------------------------------------------------------------------- signup


def signup_form(**overrides) -> dict:
    return {"email": "new.student@example.com", "full_name": "Nurlan New", **overrides}


def test_signup_mails_a_link_and_the_account_exists_only_once_a_password_is_chosen(client):
    before = count_users()
    response = submit(client, "/signup", signup_form(), follow_redirects=True)
    assert "We sent a message to new.student@example.com" in text(response)
    assert count_users() == before
    link = mailed_link("new.student@example.com")
    page = client.get(link)
    assert page.status_code == 200 and "new.student@example.com" in text(page)
    answer = submit(client, link, {"password": "long-enough-secret", "password_again": "long-enough-secret"},
                    follow_redirects=True)
    assert "Your account is ready. Welcome, Nurlan New." in text(answer)
    user = db.session.scalar(select(User).where(User.email == "new.student@example.com"))
    assert user.role == "applicant" and user.full_name == "Nurlan New"
    # The link worked once: the address has an account now.
    again = client.application.test_client()
    used = submit(again, link, {"password": "another-long-secret", "password_again": "another-long-secret"})
    assert used.status_code == 422 and "has an account already" in text(used)


def test_signup_answers_the_same_for_an_address_that_has_an_account(client, users):
    known = submit(client, "/signup", signup_form(email=users["applicant"].email), follow_redirects=True)
    unknown = submit(client.application.test_client(), "/signup", signup_form(email="someone.new@example.com"),
                     follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert text(known).replace(users["applicant"].email, "X") == text(unknown).replace("someone.new@example.com", "X")
    mail = mailed(users["applicant"].email)
    assert mail.subject == "You already have an account" and mail.context["link"].endswith("/password/forgot")


def test_the_choose_password_page_shows_short_and_different_passwords_beside_the_fields(client):
    submit(client, "/signup", signup_form())
    link = mailed_link("new.student@example.com")
    before = count_users()
    response = submit(client, link, {"password": "short", "password_again": "other"})
    assert response.status_code == 422
    assert error_beside(response, "password") == "Error: A password needs at least 10 characters."
    assert "The two passwords differ." in error_beside(response, "password_again")
    assert count_users() == before


@pytest.mark.parametrize("token", ["nonsense", "eyJlIjoiYUBiLmMifQ.aaaa.bbbb"])
def test_a_signup_link_that_was_altered_is_refused(client, token):
    response = client.get(f"/signup/{token}")
    assert response.status_code == 404 and "Sign up again" in text(response)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("full_name", "Nurlan\x00 New", "Remove the invisible control characters"),
    ("full_name", "Nurlan \u202ewEN", "Remove the invisible control characters"),
    ("full_name", "Nurlan \u2066New\u2069", "Remove the invisible control characters"),
    ("email", "new.student\x00@example.com", "Remove the invisible control characters"),
    ("email", "new.student\u202e@example.com", "Remove the invisible control characters"),
    ("email", "new.student@", "Enter an e-mail address such as name@example.org."),
], ids=["name-nul", "name-override", "name-isolates", "email-nul", "email-override", "email-form"])
def test_signup_refuses_invisible_characters_beside_their_field_and_mails_nothing(client, field, value, message):
    before = count_users()
    response = submit(client, "/signup", signup_form(**{field: value}))
    assert response.status_code == 422
    assert message in error_beside(response, field)
    assert count_users() == before
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_chosen_password_with_a_nul_is_refused_beside_the_field(client):
    submit(client, "/signup", signup_form())
    link = mailed_link("new.student@example.com")
    before = count_users()
    value = "long-enough\x00secret"
    response = submit(client, link, {"password": value, "password_again": value})
    assert response.status_code == 422
    assert "A password cannot hold the NUL character; choose another one." in error_beside(response, "password")
    assert count_users() == before


def test_signup_keeps_a_left_to_right_mark_in_a_name(client):
    # The marks only set the direction of the neutral characters beside them, which a name in two
    # scripts may need; they cannot reverse the letters, as an override does.
    name = "\u0639\u0644\u064a\u200e (Ali) New"
    submit(client, "/signup", signup_form(full_name=name))
    response = submit(client, mailed_link("new.student@example.com"),
                      {"password": "long-enough-secret", "password_again": "long-enough-secret"},
                      follow_redirects=True)
    assert "Your account is ready." in text(response)
    assert db.session.scalar(select(User.full_name).where(User.email == "new.student@example.com")) == name


def test_signup_requires_every_field(client):
    response = submit(client, "/signup", {})
    assert response.status_code == 422
    for field in ("email", "full_name"):
        assert "This field is required." in error_beside(response, field)
    assert "Please correct the following" in text(response)


# ---------------------------------------------------------------- admin pages


@pytest.mark.parametrize("role", ["applicant", "screener", "office"])
@pytest.mark.parametrize("url", ["/admin/users", "/admin/faculties"])
def test_admin_pages_are_forbidden_to_everyone_else(login, users, role, url):
    client = login(users[role])
    response = client.get(url)
    assert response.status_code == 403
    assert "Only administrators may manage accounts and reference data." in text(response)
    assert submit(client, "/calls", {"code": "LAW", "name": "Law"}, action=url).status_code == 403
    assert db.session.get(Faculty, "LAW") is None


def test_admin_pages_send_anonymous_visitors_to_login(client):
    assert client.get("/admin/users").headers["Location"].startswith("/login")


def test_admin_creates_a_screener_of_a_faculty(login, users):
    client = login(users["admin"])
    form = {"full_name": "Zarina Screener", "email": "zarina@example.com", "role": "faculty_screener",
            "faculty": "ECON", "password": "first-password-1", "password_again": "first-password-1"}
    response = submit(client, "/admin/users", form, follow_redirects=True)
    assert "Account created: zarina@example.com (Faculty screener)." in text(response)
    assert "Institute of Economics and Management" in text(response)
    user = db.session.scalar(select(User).where(User.email == "zarina@example.com"))
    assert (user.role, user.faculty_code) == ("faculty_screener", "ECON")


def test_admin_is_told_a_screener_needs_a_faculty(login, users):
    client = login(users["admin"])
    before = count_users()
    form = {"full_name": "No Faculty", "email": "nf@example.com", "role": "faculty_screener", "faculty": "",
            "password": "first-password-1", "password_again": "first-password-1"}
    response = submit(client, "/admin/users", form)
    assert response.status_code == 422
    assert "A faculty screener needs a faculty." in error_beside(response, "faculty")
    assert count_users() == before


def test_admin_users_lists_accounts_by_role_and_survives_garbage(login, users):
    client = login(users["admin"])
    page = text(client.get("/admin/users?role=faculty_screener"))
    assert "Sergey Screener" in page and "Asel Applicant" not in page
    for query in ("?role=nonsense", "?page=abc", "?page=-3", "?page=99999999999999999999"):
        assert client.get("/admin/users" + query).status_code == 200


def test_admin_adds_and_renames_faculties(login, users):
    client = login(users["admin"])
    response = submit(client, "/admin/faculties", {"code": "law", "name": "Faculty of Law"}, follow_redirects=True)
    assert "Faculty added: LAW." in text(response)
    response = submit(client, "/admin/faculties", {"code": "IT", "name": "Informatics"},
                      action="/admin/faculties/rename", follow_redirects=True)
    assert "Faculty renamed: IT." in text(response)
    assert db.session.get(Faculty, "IT").label == "Informatics"
    assert db.session.get(Faculty, "LAW").name == "Faculty of Law"


def test_admin_faculty_mistakes_are_explained(login, users):
    client = login(users["admin"])
    response = submit(client, "/admin/faculties", {"code": "IT", "name": "Again"})
    assert response.status_code == 422
    assert "exists already" in error_beside(response, "code")
    response = submit(client, "/admin/faculties", {"code": "IT", "name": ""}, action="/admin/faculties/rename")
    assert response.status_code == 422
    assert "This field is required." in error_beside(response, "name-IT")
    response = submit(client, "/admin/faculties", {"code": "NOPE", "name": "X"}, action="/admin/faculties/rename")
    assert response.status_code == 422
    assert "There is no such faculty." in text(response)
    assert db.session.get(Faculty, "NOPE") is None
    assert db.session.get(Faculty, "IT").name == "Faculty of Information Technology"


@pytest.mark.parametrize("name", ["Law\x00", "Faculty of \u202ewaL"], ids=["nul", "right-to-left-override"])
def test_a_faculty_name_with_a_control_character_is_refused(login, users, name):
    client = login(users["admin"])
    response = submit(client, "/admin/faculties", {"code": "LAW", "name": name})
    assert response.status_code == 422
    assert "Remove the invisible control characters" in error_beside(response, "name")
    response = submit(client, "/admin/faculties", {"code": "IT", "name": name}, action="/admin/faculties/rename")
    assert response.status_code == 422
    assert "Remove the invisible control characters" in error_beside(response, "name-IT")
    assert db.session.get(Faculty, "LAW") is None
    assert db.session.get(Faculty, "IT").name == "Faculty of Information Technology"
