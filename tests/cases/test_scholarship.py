"""Scholarship calls: the programme is the call's, and each programme's seed rules are enforced.

Seed (shared/seed/international-office.txt): the Chinese-language semester
("Being a student or undergraduates", "Requires basic knowledge of Chinese
language"), the JSPS programmes ("young scientists with a PhD degree, not
having received the degree more than 6 years previous", "for 1 to 2 years";
invitations "may last from 2 weeks to 10 months"; bilateral research "with the
condition of having the degree of PhD"; the PhD programme "by the deposit of
scientific work (dissertation)"), the summer school (competitive selection).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from caseflow.cases.operations import apply_transition, create_case, update_call
from caseflow.catalog import catalog
from caseflow.errors import Invalid
from caseflow.extensions import db
from caseflow.models.cases import Case
from caseflow.timeutil import office_today
from tests.factories import sample_data

TYPE = "scholarship"


def today() -> date:
    return office_today()  # the office's day: the rules count in its time


@pytest.fixture
def apply_to(app, make_call, make_user):
    """Apply to a new call of ``programme`` as a new applicant; return the case or the refusal's reasons."""

    def submit(call_programme: str, **data):
        call = make_call(TYPE, variant=call_programme)
        try:
            return create_case(catalog()[TYPE], make_user("applicant"), sample_data(TYPE, **data), call)
        except Invalid as error:
            return error.errors.get("eligibility", error.errors)

    return submit


def stored() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Case).where(Case.type == TYPE))


def test_the_programme_is_the_calls_whatever_the_application_says(apply_to):
    case = apply_to("summer_school", programme="jsps_postdoc")
    assert case.data["programme"] == "summer_school"


# -- Chinese-language semester -------------------------------------------------


def test_chinese_semester_accepts_a_student_with_basic_chinese(apply_to):
    assert apply_to("chinese_semester", academic_status="student", chinese_level="basic").state == "submitted"


def test_chinese_semester_accepts_graduates(apply_to):
    assert apply_to("chinese_semester", academic_status="graduate").state == "submitted"


def test_chinese_semester_is_for_students_or_graduates_only(apply_to):
    # Seed: "Being a student or undergraduates".
    assert apply_to("chinese_semester", academic_status="professor") == [
        "The Chinese-language semester is for students and graduates only."]
    assert stored() == 0


@pytest.mark.parametrize("level", ["none", None])
def test_chinese_semester_requires_basic_chinese(apply_to, level):
    # Seed: "Requires basic knowledge of Chinese language".
    assert apply_to("chinese_semester", chinese_level=level) == [
        "The Chinese-language semester requires basic knowledge of Chinese."]


def test_another_programme_does_not_ask_for_chinese(apply_to):
    case = apply_to("summer_school", chinese_level="none")
    assert case.state == "submitted"


# -- JSPS ----------------------------------------------------------------------------


def postdoc(**data) -> dict:
    start = today() + timedelta(days=90)
    awarded = today() - timedelta(days=800)
    return {"academic_status": "researcher", "degree": "phd", "phd_awarded_on": awarded.isoformat(),
            "stay_start": start.isoformat(), "stay_end": (start + timedelta(days=540)).isoformat(), **data}


def test_jsps_postdoc_accepts_a_recent_phd_for_eighteen_months(apply_to):
    assert apply_to("jsps_postdoc", **postdoc()).state == "submitted"


def test_jsps_postdoc_refuses_a_phd_older_than_six_years(apply_to):
    # Seed: "not having received the degree more than 6 years previous".
    old = today().replace(year=today().year - 6) - timedelta(days=1)
    reasons = apply_to("jsps_postdoc", **postdoc(phd_awarded_on=old.isoformat()))
    assert reasons == [f"PhD awarded on must lie within the last 6 years (given: {old:%B} {old.day}, {old.year})."]


def test_jsps_postdoc_accepts_a_phd_of_exactly_six_years(apply_to):
    exactly = today().replace(year=today().year - 6)
    assert apply_to("jsps_postdoc", **postdoc(phd_awarded_on=exactly.isoformat())).state == "submitted"


def test_jsps_postdoc_needs_the_phd_date_and_a_phd(apply_to):
    # Seed: "young scientists with a PhD degree".
    reasons = apply_to("jsps_postdoc", **postdoc(degree="master", phd_awarded_on=None))
    assert reasons == ["This JSPS programme is for researchers with a PhD.", "PhD awarded on is required."]


@pytest.mark.parametrize(("days", "reason"), [
    (300, "The stay must last at least 365 days (given: 300)."),
    (800, "The stay may last at most 24 months"),
])
def test_jsps_postdoc_stay_lasts_one_to_two_years(apply_to, days, reason):
    # Seed: "the researcher may conduct their work under the guidance of a supervisor for 1 to 2 years".
    start = today() + timedelta(days=30)
    (got,) = apply_to("jsps_postdoc", **postdoc(stay_start=start.isoformat(),
                                                   stay_end=(start + timedelta(days=days - 1)).isoformat()))
    assert got.startswith(reason)


def invitation(start: date, end: date, **data) -> dict:
    return {"academic_status": "professor", "degree": "dsc", "stay_start": start.isoformat(),
            "stay_end": end.isoformat(), **data}


def test_jsps_invitation_lasts_from_two_weeks_to_ten_months(apply_to):
    # Seed: "The program invitations to the researchers ... may last from 2 weeks to 10 months".
    start = date(today().year + 1, 1, 31)
    assert apply_to("jsps_invitation", **invitation(start, start + timedelta(days=13))).state == "submitted"
    assert apply_to("jsps_invitation", **invitation(start, date(start.year, 11, 30))).state == "submitted"
    assert apply_to("jsps_invitation", **invitation(start, start + timedelta(days=12))) == [
        "The stay must last at least 14 days (given: 13)."]
    assert apply_to("jsps_invitation", **invitation(start, date(start.year, 12, 1))) == [
        f"The stay may last at most 10 months (until November 30, {start.year} at the latest)."]


def test_jsps_bilateral_research_needs_a_phd(apply_to):
    # Seed: "The Kyrgyz side is funding researchers of its own with the condition of having the degree of PhD."
    assert apply_to("jsps_bilateral", academic_status="researcher", degree="master") == [
        "This JSPS programme is for researchers with a PhD."]
    assert apply_to("jsps_bilateral", academic_status="researcher", degree="phd").state == "submitted"


def test_jsps_dissertation_programme_needs_the_dissertation_and_no_doctorate_yet(apply_to):
    # Seed: "who can get a doctorate by the deposit of scientific work (dissertation)".
    assert apply_to("jsps_dissertation", degree="master") == [
        "Title of the dissertation is required when Programme is JSPS dissertation PhD programme."]
    assert apply_to("jsps_dissertation", degree="phd", dissertation_title="Grids") == [
        "The JSPS dissertation PhD programme is for researchers who do not hold a doctorate yet."]
    assert apply_to("jsps_dissertation", degree="master", dissertation_title="Grids").state == "submitted"


# -- summer school -----------------------------------------------------------------


def test_summer_school_is_for_students_with_their_grade_average(apply_to):
    assert apply_to("summer_school", academic_status="graduate", gpa=None) == [
        "The summer school is for students.",
        "Average grade of all sessions is required when Programme is Summer school.",
    ]


# -- the call ---------------------------------------------------------------------------


def test_a_call_without_a_commission_shortlists_within_its_places_and_awards(make_call, make_case, users):
    call = make_call(TYPE, seats=1)
    first = make_case(TYPE, state="eligibility_check", call=call)
    with pytest.raises(Invalid, match="This call has no selection commission."):
        apply_transition(first.id, "to_commission", users["office"], first.version)
    first = apply_transition(first.id, "shortlist", users["office"], first.version)
    second = make_case(TYPE, state="eligibility_check", call=call, applicant=users["other_applicant"])
    with pytest.raises(Invalid, match="has no seat left"):
        apply_transition(second.id, "shortlist", users["office"], second.version)
    assert apply_transition(first.id, "award", users["office"], first.version).state == "awarded"


def test_the_programme_cannot_change_once_applications_were_made(make_call, make_case):
    call = make_call(TYPE, variant="chinese_semester")
    make_case(TYPE, call=call)
    with pytest.raises(Invalid) as refused:
        update_call(call.id, call.name, call.deadline_at, [], call.seats, "", variant="summer_school")
    assert refused.value.errors == {"variant": ["Applications were made to this call; its “Programme” cannot change."]}


def test_the_last_scholarship_place_is_given_once_when_two_staff_shortlist_at_once(app, make_call, make_case,
                                                                                  make_user, users):
    from caseflow.models.accounts import User
    from tests.cases.test_concurrency import run_at_once

    call = make_call(TYPE, seats=1)
    cases = [make_case(TYPE, state="eligibility_check", call=call, applicant=make_user("applicant")) for _ in range(2)]
    staff = [users["office"].id, make_user("office_staff").id]
    results = run_at_once(app, [
        (lambda case=case, staff_id=staff_id: apply_transition(
            case.id, "shortlist", db.session.get(User, staff_id), case.version))
        for case, staff_id in zip(cases, staff, strict=True)
    ])
    assert sorted(type(r).__name__ for r in results) == ["Case", "Invalid"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Case).where(Case.state == "shortlisted")) == 1
