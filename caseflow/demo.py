"""Demo data: an Erasmus+ call, one user of every role and cases in every state.

Everything goes through the real operations, so the demo cases carry a real
history.  Loading twice changes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from caseflow.accounts.operations import create_user, find_user
from caseflow.cases.models import Call
from caseflow.cases.operations import apply_transition, create_call, create_case
from caseflow.catalog import catalog
from caseflow.extensions import db
from caseflow.timeutil import utcnow

PASSWORD = "demo-password"
DOMAIN = "demo.example.org"
CALL_NAME = "Erasmus+ 2027"

PARTNERS = [
    {"name": "Berlin University of Applied Sciences and Technology", "country": "Germany", "seats": 3},
    {"name": "Technical University of Applied Sciences Wildau", "country": "Germany", "seats": 2},
    {"name": "TH Köln – University of Applied Sciences", "country": "Germany", "seats": 2},
    {"name": "Brandenburg University of Applied Sciences", "country": "Germany", "seats": 1},
]

STAFF = [
    ("admin", f"admin@{DOMAIN}", None, "Aida Admin"),
    ("office_staff", f"office@{DOMAIN}", None, "Olga Office"),
    ("faculty_screener", f"screener.it@{DOMAIN}", "IT", "Ivan Screener (IT)"),
    ("faculty_screener", f"screener.econ@{DOMAIN}", "ECON", "Elena Screener (Economics)"),
    ("applicant", f"applicant@{DOMAIN}", None, "Aigerim Applicant"),
]

# Demo applicants, and the transitions that bring each one's case to its state.
CASES = [
    ("Bakyt Submitted", [], {}),
    ("Cholpon Screening", ["send_to_faculty"], {}),
    ("Dastan Interview", ["send_to_faculty", "pass_screening"], {}),
    ("Elnura Nominated", ["send_to_faculty", "pass_screening", "nominate"], {}),
    ("Farida Accepted", ["send_to_faculty", "pass_screening", "nominate", "partner_accepts"], {}),
    ("Gulnara Rejected", ["send_to_faculty", "fail_screening"],
     {"fail_screening": "The faculty found the study plan does not match the partner's programme."}),
    ("Ilyas Withdrawn", ["withdraw"], {}),
    ("Jyldyz Economics", ["send_to_faculty"], {"faculty": "ECON", "specialty_kind": "economic", "gpa": 4.8}),
]


SAMPLES = {
    "mobility": {
        "full_name": "Asel Applicant",
        "email": "asel@example.org",
        "phone": "+996 555 123 456",
        "faculty": "IT",
        "department": "Computer Science",
        "specialty": "Software Engineering",
        "specialty_kind": "technical",
        "study_year": 3,
        "group": "PI-1-22",
        "gpa": 4.6,
        "language": "German",
        "language_level": "B2",
        "partner": PARTNERS[0]["name"],
        "country": PARTNERS[0]["country"],
    },
    "staff_mobility": {
        "full_name": "Timur Teacher",
        "email": "timur@example.org",
        "phone": "+996 555 222 333",
        "faculty": "EN",
        "department": "Power Engineering",
        "position": "Associate professor",
        "activity": "teaching",
        "partner": PARTNERS[0]["name"],
        "country": PARTNERS[0]["country"],
        "start_date": "2027-04-12",
        "end_date": "2027-04-16",
        "language": "German",
        "plan": "Eight hours of lectures on energy efficiency in Central Asian grids.",
    },
    "conference_registration": {
        "full_name": "Dana Delegate",
        "email": "dana@example.org",
        "phone": None,
        "organisation": "Karaganda Technical University",
        "country": "Kazakhstan",
        "participant_kind": "speaker",
        "poster_title": "Welding of aluminium and mixtures of nanopowders",
    },
}


def sample_application(case_type: str = "mobility", **overrides) -> dict:
    """Return an eligible application of ``case_type`` (as the form cleans it), with ``overrides``."""
    return {**SAMPLES[case_type], **overrides}


def load_demo() -> tuple[bool, dict]:
    """Load the demo data unless it exists; return (created, logins)."""
    logins = {
        "password": PASSWORD,
        "users": [(role, email) for role, email, _, _ in STAFF]
        + [("applicant", f"student1@{DOMAIN} … student{len(CASES)}@{DOMAIN} (cases in every state)")],
    }
    if db.session.scalar(select(Call.id).where(Call.name == CALL_NAME)) is not None:
        return False, logins
    users = {}
    for role, email, faculty, name in STAFF:
        users[email] = find_user(email) or create_user(email, PASSWORD, role, faculty, name)
    call = create_call(CALL_NAME, "mobility", utcnow() + timedelta(days=180), PARTNERS)
    workflow = catalog()["mobility"]
    office = users[f"office@{DOMAIN}"]
    for index, (full_name, steps, extra) in enumerate(CASES):
        email = f"student{index + 1}@{DOMAIN}"
        applicant = find_user(email) or create_user(email, PASSWORD, "applicant", None, full_name)
        partner = PARTNERS[index % len(PARTNERS)]
        fields = {k: v for k, v in extra.items() if workflow.field(k)}
        data = sample_application("mobility", full_name=full_name, email=email, partner=partner["name"],
                                  country=partner["country"], **fields)
        case = create_case(workflow, applicant, data, call)
        faculty = extra.get("faculty", "IT")
        screener = users[f"screener.{faculty.lower()}@{DOMAIN}"]
        for step in steps:
            transition = workflow.transition(step)
            actor = applicant if "applicant" in transition.roles else (
                screener if "faculty_screener" in transition.roles else office)
            case = apply_transition(case.id, step, actor, case.version, extra.get(step, ""))
    return True, logins
