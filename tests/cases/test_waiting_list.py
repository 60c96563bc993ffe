"""Conference registration: capacity, the waiting list and moving up in order.

Seed: "German and Technology" — "we invite you to visit the conference as a
guest. Please register before 3. April."  An event has a fixed number of
places; registrations beyond it wait and move up when a place is freed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseflow.cases.operations import apply_transition, create_case
from caseflow.cases.queries import case_history
from caseflow.catalog import catalog
from caseflow.demo import sample_recorded
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Case
from tests.cases.test_concurrency import run_at_once
from tests.factories import sample_data

TYPE = "conference_registration"


@pytest.fixture
def event(make_call):
    return make_call(TYPE, seats=2)


@pytest.fixture
def register(make_user, event):
    def make(call=None, **data):
        applicant = make_user("applicant")
        return create_case(catalog()[TYPE], applicant, sample_data(TYPE, **data), call or event)

    return make


def state_of(case_id: int) -> str:
    db.session.rollback()
    return db.session.scalar(select(Case.state).where(Case.id == case_id))


def test_registrations_beyond_the_places_wait(register):
    first, second, third = register(), register(), register()
    assert [state_of(c.id) for c in (first, second, third)] == ["registered", "registered", "waitlisted"]
    automatic = case_history(third.id)[-1]
    assert (automatic.transition, automatic.actor_id) == ("waitlist", None)


def test_a_cancellation_moves_the_oldest_waiting_registration_up(register):
    first, _second, third, fourth = [register() for _ in range(4)]
    assert state_of(third.id) == state_of(fourth.id) == "waitlisted"
    applicant = db.session.get(User, first.applicant_id)
    apply_transition(first.id, "cancel", applicant, first.version)
    assert state_of(third.id) == "registered"  # the oldest waiting one, not the fourth
    assert state_of(fourth.id) == "waitlisted"
    moved = case_history(third.id)[-1]
    assert (moved.transition, moved.from_state, moved.to_state, moved.actor_id) == (
        "move_up", "waitlisted", "registered", None)


def test_cancelling_a_waiting_registration_frees_nothing(register, users):
    *_full, third, fourth = [register() for _ in range(4)]
    apply_transition(third.id, "cancel_by_office", users["office"], state_version(third.id), "Asked by phone.")
    assert state_of(fourth.id) == "waitlisted"


def state_version(case_id: int) -> int:
    db.session.rollback()
    return db.session.scalar(select(Case.version).where(Case.id == case_id))


def test_confirmed_and_attended_participants_keep_their_place(register, users):
    first, _second, third = [register() for _ in range(3)]
    office = users["office"]
    first = apply_transition(first.id, "confirm", office, first.version)
    apply_transition(first.id, "mark_attended", office, first.version)
    assert state_of(third.id) == "waitlisted"


def test_a_no_show_does_not_free_a_place_after_the_event(register, users):
    # "Did not attend" is recorded after the event: nobody moves up into the past.
    first, _second, third = [register() for _ in range(3)]
    office = users["office"]
    first = apply_transition(first.id, "confirm", office, first.version)
    apply_transition(first.id, "mark_absent", office, first.version)
    assert state_of(third.id) == "waitlisted"


def test_automatic_transitions_cannot_be_fired_by_people(register, users):
    *_full, third = [register() for _ in range(3)]
    with pytest.raises(Invalid) as caught:
        apply_transition(third.id, "move_up", users["office"], state_version(third.id))
    assert "happens by itself" in caught.value.message


def test_speaker_needs_a_poster_title(register):
    # Seed: speakers "will present their works in German in ... a scientific poster"
    with pytest.raises(Invalid) as caught:
        register(participant_kind="speaker", poster_title=None)
    assert caught.value.errors["eligibility"] == [
        "Title of the poster is required when I take part as is Speaker (with a scientific poster)."]
    register(participant_kind="guest", poster_title=None)


def test_one_registration_per_person_and_event(make_user, event):
    applicant = make_user("applicant")
    create_case(catalog()[TYPE], applicant, sample_data(TYPE), event)
    with pytest.raises(Invalid):
        create_case(catalog()[TYPE], applicant, sample_data(TYPE), event)


def test_simultaneous_registrations_never_exceed_the_places(app, make_user, make_call):
    event = make_call(TYPE, seats=3)
    applicant_ids = [make_user("applicant").id for _ in range(8)]

    def registration(applicant_id):
        return lambda: create_case(catalog()[TYPE], db.session.get(User, applicant_id), sample_data(TYPE),
                                   db.session.get(type(event), event.id)).id

    case_ids = run_at_once(app, [registration(i) for i in applicant_ids])
    assert all(isinstance(i, int) for i in case_ids), case_ids
    states = [state_of(i) for i in case_ids]
    assert states.count("registered") == 3 and states.count("waitlisted") == 5


def test_hostel_places_are_never_given_twice(make_user, make_call, users):
    # Seed: "1 room seats 4 students ... Please let us know in advance if you wish to book a place."
    hostel = make_call("hostel", seats=4)
    requests = [create_case(catalog()["hostel"], make_user("applicant"), sample_data("hostel"), hostel)
                for _ in range(5)]
    assert [state_of(r.id) for r in requests] == ["requested"] * 4 + ["waitlisted"]
    first = requests[0]
    first = apply_transition(first.id, "assign_room", users["office"], first.version, "Room 214",
                             recorded=sample_recorded(catalog()["hostel"], "assign_room"))
    apply_transition(first.id, "move_out", users["office"], first.version)
    assert state_of(requests[4].id) == "requested"


def test_a_waitlisted_registrant_sees_their_place_on_the_list(register, login):
    _first, _second, third, fourth = [register() for _ in range(4)]
    third_page = login(db.session.get(User, third.applicant_id)).get(f"/cases/{third.id}").get_data(as_text=True)
    assert "Your place on the waiting list: 1." in third_page and "You are the next" in third_page
    fourth_page = login(db.session.get(User, fourth.applicant_id)).get(f"/cases/{fourth.id}").get_data(as_text=True)
    assert "Your place on the waiting list: 2." in fourth_page and "1 person is ahead of you." in fourth_page
    apply_transition(third.id, "cancel", db.session.get(User, third.applicant_id), third.version)
    db.session.expire_all()
    moved_up = login(db.session.get(User, fourth.applicant_id)).get(f"/cases/{fourth.id}").get_data(as_text=True)
    assert "Your place on the waiting list: 1." in moved_up
