"""Staff mobility (date fields) and conference registration (waiting list) on the web pages."""

from __future__ import annotations

import re

import pytest
from web_helpers import count_cases, current_step, error_beside, submit, text, transitions_offered

from caseflow.cases.operations import apply_transition
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.accounts import User
from tests.factories import sample_data

STAFF = "staff_mobility"
CONFERENCE = "conference_registration"


def as_posted(case_type: str, **overrides) -> dict[str, str]:
    """Return a valid application of ``case_type`` as a browser posts it (e-mail not .test)."""
    data = sample_data(case_type, **overrides)
    return {key: "" if value is None else str(value) for key, value in data.items()}


# ------------------------------------------------------------- staff mobility


def test_date_fields_are_date_inputs(login, users, make_call):
    call = make_call(STAFF)
    page = login(users["applicant"]).get(f"/apply/{STAFF}?call={call.id}").get_data(as_text=True)
    for spec in (f for f in catalog()[STAFF].fields if f.type == "date"):
        control = re.search(rf'<input[^>]*\bname="{spec.name}"[^>]*>', page)
        assert control and 'type="date"' in control.group(0), spec.name
    assert "The stay lasts 5 days or more." in text(login(users["applicant"]).get(f"/apply/{STAFF}?call={call.id}"))


def test_staff_mobility_of_five_days_is_submitted(login, users, make_call):
    call = make_call(STAFF)
    client = login(users["applicant"])
    page = f"/apply/{STAFF}?call={call.id}"
    response = submit(client, page, as_posted(STAFF, start_date="2027-04-12", end_date="2027-04-16"))
    assert response.status_code == 303, text(response)
    status = text(client.get(response.headers["Location"]))
    assert "First day of the stay April 12, 2027" in status and "Last day of the stay April 16, 2027" in status


@pytest.mark.parametrize(("start", "end", "reason"), [
    ("2027-04-12", "2027-04-15", "The stay must last at least 5 days (given: 4)."),
    ("2027-04-16", "2027-04-12", "Last day of the stay is before First day of the stay."),
])
def test_too_short_or_reversed_stay_is_refused_with_the_reason(login, users, make_call, start, end, reason):
    call = make_call(STAFF)
    page = f"/apply/{STAFF}?call={call.id}"
    response = submit(login(users["applicant"]), page, as_posted(STAFF, start_date=start, end_date=end))
    assert response.status_code == 422
    assert f"Your application does not meet these conditions: {reason} Nothing was stored." in text(response)
    assert count_cases() == 0


@pytest.mark.parametrize("bad", ["2027-02-30", "12.04.2027", "soon", ""])
def test_bad_date_is_shown_beside_its_field(login, users, make_call, bad):
    call = make_call(STAFF)
    page = f"/apply/{STAFF}?call={call.id}"
    response = submit(login(users["applicant"]), page, as_posted(STAFF, end_date=bad))
    assert response.status_code == 422
    assert error_beside(response, "end_date")
    assert count_cases() == 0


def test_staff_mobility_screener_of_the_faculty_acts_on_the_case_page(login, users, make_user, make_case):
    case = make_case(STAFF, state="faculty_screening")  # faculty EN
    assert login(users["screener"]).get(f"/cases/{case.id}").status_code == 404  # IT's screener
    en = login(make_user("faculty_screener", "EN"))
    assert transitions_offered(en.get(f"/cases/{case.id}")) == {"pass_screening", "fail_screening"}
    response = submit(en, f"/cases/{case.id}", {"transition": "pass_screening", "version": str(case.version)},
                      action=f"/cases/{case.id}/transitions", follow_redirects=True)
    assert str(catalog()[STAFF].state("office_interview").label) in current_step(response)


# --------------------------------------------------- conference registration


@pytest.fixture
def full_event(make_call, make_case, make_user):
    """An event with two places, both taken, and a third registration waiting."""
    event = make_call(CONFERENCE, seats=2)
    first = make_case(CONFERENCE, call=event)
    make_case(CONFERENCE, call=event, applicant=make_user())
    third_person = make_user(name="Third Person")
    waiting = make_case(CONFERENCE, call=event, applicant=third_person)
    return event, first, waiting, third_person


def test_registration_beyond_the_places_says_it_is_on_the_waiting_list(login, full_event):
    _event, _first, waiting, person = full_event
    workflow = catalog()[CONFERENCE]
    response = login(person).get(f"/cases/{waiting.id}")
    page = text(response)
    state = workflow.state(waiting.state)
    assert state.label == "On the waiting list"
    assert f"State {state.label}" in page and str(state.next_step) in page
    assert str(state.label) in current_step(response)
    history = page[page.index("History"):page.index("Application form")]
    assert "The system" in history and str(workflow.transition("waitlist").done) in history


def test_automatic_transitions_are_never_offered(login, users, full_event):
    _event, _first, waiting, person = full_event
    automatic = {t.name for t in catalog()[CONFERENCE].transitions if t.auto}
    for client in (login(person), login(users["office"]), login(users["admin"])):
        offered = transitions_offered(client.get(f"/cases/{waiting.id}"))
        assert offered and not offered & automatic


def test_automatic_transition_posted_by_hand_is_refused(login, users, full_event):
    _event, _first, waiting, _person = full_event
    response = submit(login(users["admin"]), f"/cases/{waiting.id}",
                      {"transition": "move_up", "version": str(waiting.version)},
                      action=f"/cases/{waiting.id}/transitions")
    assert response.status_code == 422
    assert "happens by itself" in text(response)


def test_a_cancellation_moves_the_waiting_registration_up_by_the_system(login, full_event):
    _event, first, waiting, person = full_event
    owner = db.session.get(User, first.applicant_id)
    response = submit(login(owner), f"/cases/{first.id}", {"transition": "cancel", "version": str(first.version),
                                                           "confirmed": "y"},
                      action=f"/cases/{first.id}/transitions", follow_redirects=True)
    assert response.status_code == 200
    workflow = catalog()[CONFERENCE]
    page = text(login(person).get(f"/cases/{waiting.id}"))
    assert f"State {workflow.state(workflow.initial).label}" in page
    last = page[page.rindex("The system"):]
    assert last.startswith(f"The system {workflow.transition('move_up').done}")


def test_conference_timeline_follows_registration_confirmation_attendance(login, users, make_case):
    workflow = catalog()[CONFERENCE]
    assert [s.name for s in workflow.main_path()] == ["registered", "confirmed", "attended"]
    case = make_case(CONFERENCE, state="confirmed")
    response = login(users["applicant"]).get(f"/cases/{case.id}")
    page = text(response)
    progress = page[page.index("Progress"):page.index("What happens next")].strip()
    assert progress == "Progress ✓ Registered (done) ● Confirmed the case is here Attended (to come)"
    office = login(users["office"])
    assert transitions_offered(office.get(f"/cases/{case.id}")) == {"mark_attended", "mark_absent",
                                                                    "cancel_by_office"}
    response = submit(office, f"/cases/{case.id}", {"transition": "mark_attended", "version": str(case.version)},
                      action=f"/cases/{case.id}/transitions", follow_redirects=True)
    assert "the case ended here" in current_step(response) and "Attended" in current_step(response)


def test_queue_pages_list_the_new_types(login, users, full_event, make_case):
    make_case(STAFF)
    office = login(users["office"])
    queue = text(office.get("/queue"))
    for name in (STAFF, CONFERENCE):
        assert str(catalog()[name].label) in queue
    waiting = full_event[2]
    stage = office.get(f"/queue/{CONFERENCE}/{waiting.state}")
    assert stage.status_code == 200 and waiting.reference in text(stage)
    assert office.get(f"/queue/{STAFF}/submitted").status_code == 200


def test_speaker_without_poster_title_is_refused_on_the_web(login, users, make_call):
    event = make_call(CONFERENCE, seats=5)
    response = submit(login(users["applicant"]), f"/apply/{CONFERENCE}?call={event.id}",
                      as_posted(CONFERENCE, participant_kind="speaker", poster_title=""))
    assert response.status_code == 422
    assert "Title of the poster is required when I take part as is Speaker" in text(response)
    assert count_cases() == 0


def test_cancelled_registration_ends_on_the_timeline(login, users, make_case):
    case = make_case(CONFERENCE)
    apply_transition(case.id, "cancel", users["applicant"], case.version)
    response = login(users["applicant"]).get(f"/cases/{case.id}")
    assert "the case ended here" in current_step(response)
    assert not transitions_offered(response)
