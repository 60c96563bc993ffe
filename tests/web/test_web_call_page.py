"""The public page of a call, and calls with places and a description on the calls page."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from web_helpers import error_beside, statements, submit, text

from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.models.cases import Call
from caseflow.timeutil import utcnow

CONFERENCE = "conference_registration"
PROGRAMME = "Students present posters in German.\n\nPlease register before 3 April.\nGuests welcome."


def test_anonymous_visitor_sees_an_event_with_places_deadline_and_programme(client, make_call, make_case,
                                                                            make_user):
    event = make_call(CONFERENCE, name="German and Technology", seats=3, description=PROGRAMME)
    make_case(CONFERENCE, call=event)
    make_case(CONFERENCE, state="confirmed", call=event, applicant=make_user())
    response = client.get(f"/calls/{event.id}")
    assert response.status_code == 200
    page, body = text(response), response.get_data(as_text=True)
    workflow = catalog()[CONFERENCE]
    assert "German and Technology open" in page
    assert str(workflow.label) in page and str(workflow.description) in page
    assert "Places 3 Places left 1" in page
    assert "Deadline" in page and "office time, Bishkek" in page
    assert "Open: submissions are accepted until the deadline." in page
    # The programme: paragraphs at blank lines, lines kept.
    assert "<p>Students present posters in German.</p>" in body
    assert "<p>Please register before 3 April.<br>Guests welcome.</p>" in body
    for condition in (r.label for r in workflow.rules if r.label):
        assert str(condition) in page
    assert f'href="/apply/{CONFERENCE}?call={event.id}"' in body
    assert "You will be asked to log in or sign up first." in page


def test_the_apply_link_sends_an_anonymous_visitor_to_log_in(client, make_call):
    event = make_call(CONFERENCE, seats=3)
    response = client.get(f"/apply/{CONFERENCE}?call={event.id}")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_description_is_shown_as_text_never_as_markup(client, make_call):
    event = make_call(CONFERENCE, seats=3, description='<script>alert("x")</script>\n<b>bold</b> & more')
    body = client.get(f"/calls/{event.id}").get_data(as_text=True)
    assert "<script>alert" not in body and "<b>bold</b>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>&lt;b&gt;bold&lt;/b&gt; &amp; more" in body


def test_partner_call_page_lists_each_partner_with_seats_left(client, make_case):
    case = make_case(state="partner_nomination")  # holds one of TH Wildau's two seats
    response = client.get(f"/calls/{case.call_id}")
    page = text(response)
    assert "TH Wildau Germany 2 1" in page and "TH Köln Germany 1 1" in page
    assert "Places left" not in page  # a partner call has no places of its own
    assert "About this call" not in page  # no description given


def test_closed_call_says_so_and_offers_no_apply_link(client, make_call):
    call = make_call(deadline=utcnow() - timedelta(days=1))
    response = client.get(f"/calls/{call.id}")
    assert "Closed: the deadline has passed." in text(response)
    assert "/apply/" not in response.get_data(as_text=True)


def test_staff_see_the_page_without_an_apply_link(login, users, make_call):
    call = make_call()
    response = login(users["office"]).get(f"/calls/{call.id}")
    assert response.status_code == 200
    assert "/apply/" not in response.get_data(as_text=True)


def test_unknown_call_is_404(client):
    for path in ("/calls/999", "/calls/0", "/calls/99999999999999999999", "/calls/abc"):
        assert client.get(path).status_code == 404, path


def test_call_page_runs_a_fixed_number_of_queries(client, make_call, make_case, make_user):
    event = make_call(CONFERENCE, seats=50)
    make_case(CONFERENCE, call=event)
    with statements() as few:
        client.get(f"/calls/{event.id}")
    for _ in range(5):
        make_case(CONFERENCE, call=event, applicant=make_user())
    with statements() as many:
        client.get(f"/calls/{event.id}")
    selects = [[s for s in run if s.lstrip().upper().startswith("SELECT")] for run in (few, many)]
    assert len(selects[1]) == len(selects[0]) == 2  # the call with its partners, the seats held


def test_calls_page_and_home_link_to_the_call_page(login, users, make_call):
    event = make_call(CONFERENCE, name="German and Technology", seats=3)
    applicant = login(users["applicant"])
    calls_page = applicant.get("/calls")
    assert f'href="/calls/{event.id}"' in calls_page.get_data(as_text=True)
    assert "Places: 3 · Places left: 3" in text(calls_page)
    assert f'href="/calls/{event.id}"' in applicant.get("/").get_data(as_text=True)


def test_office_creates_an_event_with_places_and_description(login, users):
    client = login(users["office"])
    form_page = client.get("/calls").get_data(as_text=True)
    assert 'name="seats" type="number"' in form_page and '<textarea' in form_page and 'name="description"' in form_page
    form = {"name": "German and Technology 2030", "type": CONFERENCE, "deadline": "2030-04-03T18:00",
            "seats": "40", "description": PROGRAMME}
    response = submit(client, "/calls", form, follow_redirects=True)
    assert "Call created: German and Technology 2030." in text(response)
    call = db.session.scalar(select(Call).where(Call.name == "German and Technology 2030"))
    assert (call.seats, call.description, call.partners) == (40, PROGRAMME, [])
    assert "Places: 40 · Places left: 40" in text(response)


def test_event_without_places_or_with_bad_places_is_refused_beside_the_field(login, users):
    client = login(users["office"])
    form = {"name": "Event", "type": CONFERENCE, "deadline": "2030-04-03T18:00", "seats": ""}
    response = submit(client, "/calls", form)
    assert response.status_code == 422
    assert "Say how many places this call offers." in error_beside(response, "seats")
    for bad in ("many", "0", "-3"):
        response = submit(client, "/calls", {**form, "seats": bad})
        assert response.status_code == 422 and error_beside(response, "seats")
    assert db.session.scalar(select(Call.id)) is None
