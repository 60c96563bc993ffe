"""Hostel rooms: "1 room seats 4 students" (hostel No. 1), and a room is never over-filled.

Seed: "There are special rooms for foreigners in hostel №1. 1 room seats 4
students."  Assigning a place means choosing a room with a free place.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from caseflow.cases import rooms
from caseflow.cases.operations import apply_transition
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.accounts import User
from caseflow.models.cases import Case, Room
from tests.cases.test_concurrency import run_at_once
from tests.web.web_helpers import error_beside, submit, text

TYPE = "hostel"


@pytest.fixture
def room(app):
    return db.session.scalar(select(Room).where(Room.number == "101"))


@pytest.fixture
def requests(make_call, make_case, make_user):
    call = make_call(TYPE, seats=40)

    def make(count, group="men"):
        return [make_case(TYPE, call=call, applicant=make_user(), room_group=group) for _ in range(count)]

    return make


def assign(case, office, room):
    return apply_transition(case.id, "assign_room", office, case.version, recorded={"room": str(room.id)})


def test_the_seeded_rooms_have_four_places_each(app):
    listed = db.session.scalars(select(Room)).all()
    assert len(listed) == 10 and {room.places for room in listed} == {4}


def test_a_room_of_four_takes_four_and_refuses_the_fifth_with_the_reason(users, requests, room):
    fifth, *four = requests(5)
    for case in four:
        assert assign(case, users["office"], room).room_id == room.id
    with pytest.raises(Invalid) as refused:
        assign(fifth, users["office"], room)
    assert refused.value.errors["room"] == ["Hostel No. 1, 101 is full: its 4 places are taken. Choose another room."]
    assert db.session.get(Case, fifth.id).state == "requested"


def test_a_room_of_men_is_not_offered_to_a_woman_nor_taken_for_her(users, requests, room, login):
    """The workflow asks "Rooms of 4 are shared by women or by men"; the trial's women's request was
    offered, and given, a room a man held."""
    (man,), (woman,) = requests(1, "men"), requests(1, "women")
    assign(man, users["office"], room)
    offered = {value: (label, attributes) for value, label, attributes in rooms.choices(woman)}
    assert offered[str(room.id)] == ("Hostel No. 1, 101: 3 places free of 4 — shared by: Men", {"disabled": True})
    assert offered[str(room.id + 1)][1] == {}  # an empty room is hers to take
    page = login(users["office"]).get(f"/cases/{woman.id}").get_data(as_text=True)
    assert f'<option disabled value="{room.id}">Hostel No. 1, 101: 3 places free of 4 — shared by: Men' in page
    with pytest.raises(Invalid) as refused:
        assign(woman, users["office"], room)
    assert refused.value.errors["room"] == [
        "Hostel No. 1, 101 is shared by Men. Choose a room of “Women” or an empty one."]
    assert db.session.get(Case, woman.id).room_id is None
    other_man = requests(1, "men")[0]
    assert assign(other_man, users["office"], room).room_id == room.id


def test_moving_out_frees_the_place(users, requests, room):
    fifth, *four = requests(5)
    placed = [assign(case, users["office"], room) for case in four]
    apply_transition(placed[0].id, "move_out", users["office"], placed[0].version)
    assert assign(fifth, users["office"], room).state == "assigned"


def test_two_assignments_of_the_last_place_at_once_give_it_once(app, users, requests, room):
    *three, last_a, last_b = requests(5)
    for case in three:
        assign(case, users["office"], room)
    office_id, room_id = users["office"].id, room.id

    def take(case_id, version):
        def job():
            office = db.session.get(User, office_id)
            return apply_transition(case_id, "assign_room", office, version, recorded={"room": str(room_id)}).state
        return job

    results = run_at_once(app, [take(last_a.id, last_a.version), take(last_b.id, last_b.version)])
    assert results.count("assigned") == 1, results
    assert any(isinstance(result, Invalid) and "is full" in result.message for result in results), results
    db.session.rollback()
    assert rooms.taken(db.session, [room_id])[room_id] == 4


def test_the_page_offers_rooms_with_a_free_place_and_a_full_one_disabled(login, users, requests, room):
    fifth, *four = requests(5)
    for case in four:
        assign(case, users["office"], room)
    office = login(users["office"])
    page = office.get(f"/cases/{fifth.id}").get_data(as_text=True)
    assert f'<option disabled value="{room.id}">Hostel No. 1, 101: 0 places free of 4</option>' in page
    assert "Hostel No. 1, 102: 4 places free of 4" in page
    refused = submit(office, f"/cases/{fifth.id}", {"transition": "assign_room", "version": str(fifth.version),
                                                    "room": str(room.id)}, action=f"/cases/{fifth.id}/transitions")
    assert refused.status_code == 422 and "Choose one of the listed options." in error_beside(refused, "room")
    shown = text(office.get(f"/cases/{four[0].id}"))
    assert "Room Hostel No. 1, 101" in shown


def test_the_admin_adds_a_room_and_mistakes_are_refused(login, users):
    admin = login(users["admin"])
    page = text(admin.get("/admin/rooms"))
    assert "Hostel No. 1 101 4 0" in page
    added = submit(admin, "/admin/rooms", {"building": "Hostel No. 1", "number": "301", "places": "4"},
                   follow_redirects=True)
    assert "Room added: Hostel No. 1, 301." in text(added)
    for data, field, message in [
        ({"building": "Hostel No. 1", "number": "301", "places": "4"}, "number", "has a room with this number"),
        ({"building": "Hostel No. 1", "number": "302", "places": "0"}, "places", "Number must be between 1 and 20."),
        ({"building": "Hostel No. 1", "number": "", "places": "4"}, "number", "This field is required."),
    ]:
        refused = submit(admin, "/admin/rooms", data)
        assert refused.status_code == 422 and message in error_beside(refused, field)
    assert db.session.scalar(select(Room).where(Room.number == "302")) is None
    assert login(users["office"]).get("/admin/rooms").status_code == 403


def test_a_hostel_request_goes_with_the_student_s_admission_case(users, make_case, make_call, login):
    admission = make_case("admission")
    hostel = make_case(TYPE, call=make_call(TYPE, seats=40))
    assert hostel.linked_id == admission.id
    applicant = login(users["applicant"])
    assert admission.reference in text(applicant.get(f"/cases/{hostel.id}"))
    assert hostel.reference in text(applicant.get(f"/cases/{admission.id}"))  # and the other way round


def test_a_hostel_request_without_an_admission_case_links_to_none(make_case, make_call, make_user):
    assert make_case(TYPE, call=make_call(TYPE, seats=40), applicant=make_user()).linked_id is None
