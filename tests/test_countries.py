"""Countries are ISO 3166 codes named in the reader's language; the texts typed before become codes.

Seed (work permits): the duty is 1000 som for "foreign citizens of the EU and
Asia member states, with which the Kyrgyz Republic has bilateral or
multilateral agreements in the field of labor migration"; 2000 som "for all
other foreign citizens and stateless persons".
"""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_migrate import stamp, upgrade
from sqlalchemy import select, text

from caseflow import countries
from caseflow.cases.operations import create_case
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.cases import Case, Partner, ReferenceItem
from tests.factories import sample_data


@pytest.mark.parametrize("written", ["Russia", "Russian Federation", "russian federation ", "Россия", "RU", "RUS"])
def test_every_way_of_writing_russia_is_one_code(written):
    assert countries.code_of(written) == "RU"


def test_a_text_naming_no_country_has_no_code():
    assert countries.code_of("Atlantis") is None and countries.code_of("") is None


def test_names_come_in_the_reader_s_language(app):
    # The office writes Кыргызстан in Russian too, not CLDR's Киргизия (which is still read as KG).
    assert countries.code_of("Киргизия") == countries.code_of("Кыргызстан") == "KG"
    for language, name in (("en", "Kyrgyzstan"), ("ru", "Кыргызстан"), ("ky", "Кыргызстан")):
        with force_locale(language):
            assert countries.name("KG") == name
            assert ("KG", name) in countries.options()
    with force_locale("ru"):
        assert countries.options(stateless=True)[0] == ("XXA", "Лицо без гражданства")


def test_russia_pays_one_duty_however_the_office_once_wrote_it(users):
    # "Russia" and "Russian Federation" paid 1000 and 2000 som when nationality was typed by hand.
    duty = {create_case(catalog()["work_permit"], users["office"],
                        sample_data("work_permit", nationality="RU")).data["state_duty"] for _ in range(2)}
    assert duty == {1000}


def test_a_nationality_that_is_not_a_code_is_refused_by_the_api(users, token, client):
    body = {"type": "work_permit", "data": sample_data("work_permit", nationality="Russian Federation")}
    answer = client.post("/api/v1/cases", json=body, headers=token(users["office"]))
    assert answer.status_code == 422 and "nationality" in str(answer.get_json()["errors"])


def test_the_form_offers_countries_by_name_and_refuses_another_value(login, users):
    office = login(users["office"])
    form = office.get("/apply/work_permit").text
    assert '<option value="KZ">Kazakhstan</option>' in form and '<option value="XXA">Stateless person</option>' in form


def test_a_partner_s_country_must_be_a_code(make_call):
    with pytest.raises(Invalid, match="not a country's ISO 3166 code"):
        make_call(partners=[{"name": "TH Wildau", "country": "Germany", "seats": 2}])


def test_the_api_refuses_a_partner_country_by_name(users, token, client):
    body = {"name": "Erasmus+ 2031", "type": "mobility", "deadline": "2031-01-15T17:00:00Z",
            "partners": [{"name": "TH Wildau", "country": "Germany", "seats": 2}]}
    answer = client.post("/api/v1/calls", json=body, headers=token(users["office"]))
    assert answer.status_code == 422 and "partners" in str(answer.get_json()["errors"])


def test_the_migration_turns_typed_names_into_codes_and_keeps_others(app, users, make_call):
    case = create_case(catalog()["work_permit"], users["office"], sample_data("work_permit", nationality="DE"))
    call = make_call()
    # As the rows were before: names typed by hand.
    db.session.execute(text("UPDATE cases SET data = :data WHERE id = :id"),
                       {"data": '{"nationality": "Russian Federation", "permit": "employee"}', "id": case.id})
    db.session.execute(text("UPDATE partners SET country = 'Germany' WHERE call_id = :id"), {"id": call.id})
    db.session.execute(text("DELETE FROM reference_items WHERE list_name = 'labour_migration_agreement'"))
    for value in ("Russia", "Russian Federation", "Kazakhstan", "Atlantis"):
        db.session.add(ReferenceItem(list_name="labour_migration_agreement", value=value))
    db.session.commit()
    db.session.remove()
    stamp(revision="0015")  # the schema is the models'; the data is as 0015 left it
    upgrade(revision="0016")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Case, case.id).data["nationality"] == "RU"
    assert set(db.session.scalars(select(Partner.country).where(Partner.call_id == call.id))) == {"DE"}
    listed = set(db.session.scalars(select(ReferenceItem.value).where(
        ReferenceItem.list_name == "labour_migration_agreement")))
    assert listed == {"RU", "KZ", "Atlantis"}
