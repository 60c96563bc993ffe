"""Demo data: a call or event of every case type, one user of every role, cases in every state.

Everything goes through the real operations, so the demo cases carry a real
history.  Each applicant uploads sample files of their checklist right after
applying, but two, left where the office waits for documents: one has
uploaded nothing yet, the other's document was rejected.  Loading twice
changes nothing.
"""

from __future__ import annotations

import unicodedata
from datetime import date, time, timedelta

from sqlalchemy import func, select, update

from caseflow.accounts.operations import create_user, find_user
from caseflow.cases import rooms
from caseflow.cases.operations import Schedule, apply_transition, create_call, create_case
from caseflow.cases.seats import pool_of
from caseflow.cases.selection import record_score
from caseflow.catalog import catalog
from caseflow.database import write_transaction
from caseflow.documents.operations import Upload, review_document, upload_document
from caseflow.documents.samples import sample_for
from caseflow.extensions import db
from caseflow.i18n import SOURCE_LANGUAGE
from caseflow.models.accounts import User
from caseflow.models.cases import Call, Case
from caseflow.models.documents import REJECTED, Document
from caseflow.timeutil import office_today, utcnow, years_before
from caseflow.workflow.spec import Document as DocumentSpec
from caseflow.workflow.spec import State, Workflow

PASSWORD = "demo-password"
DOMAIN = "demo.example.org"

PARTNERS = [
    {"name": "Berlin University of Applied Sciences and Technology", "country": "DE", "seats": 3},
    {"name": "Technical University of Applied Sciences Wildau", "country": "DE", "seats": 2},
    {"name": "TH Köln – University of Applied Sciences", "country": "DE", "seats": 2},
    {"name": "Brandenburg University of Applied Sciences", "country": "DE", "seats": 1},
]

STAFF = [
    ("admin", f"admin@{DOMAIN}", None, "Aida Admin"),
    ("office_staff", f"office@{DOMAIN}", None, "Olga Office"),
    ("faculty_screener", f"screener.it@{DOMAIN}", "IT", "Ivan Screener (IT)"),
    ("faculty_screener", f"screener.econ@{DOMAIN}", "ECON", "Elena Screener (Economics)"),
    ("applicant", f"applicant@{DOMAIN}", None, "Aigerim Applicant"),
]

# One call or event per case type; its cases are created in every state.
CALLS = {
    "mobility": {"name": "Erasmus+ 2027", "description": (
        "One semester or one academic year at a partner university. Tuition is covered by the "
        "European Union; most students also receive a monthly grant."),
        "schedule": lambda today: Schedule(date.fromisoformat(_next_first_of_september()),
                                           date.fromisoformat(_next_first_of_september()) + timedelta(days=150))},
    "staff_mobility": {"name": "Erasmus+ staff mobility 2027", "description": (
        "Teaching or training stays of 5 days or more at a partner university."),
        "schedule": lambda today: Schedule(date(2027, 1, 1), date(2027, 12, 31))},
    "admission": {"name": "Admission 2027/28", "description": (
        "Bachelor, master and doctoral programmes, and the 9-month preparatory course (Russian "
        "language, chemistry, physics, mathematics, biology) for foreign citizens.")},
    "hostel": {"name": "Hostel No. 1, 2027/28", "description": (
        "Special rooms for foreign students in hostel No. 1: 4 places a room, 3000 som a month "
        "for one place. Request a place in advance.")},
    "conference_registration": {"name": "German and Technology 2027", "description": (
        "The international student conference in German, organised with the DAAD. Students present "
        "their projects as scientific posters."),
        # Under way, so that the demo can show participants who attended; registration is still open.
        "schedule": lambda today: Schedule(today, today + timedelta(days=2), "Conference hall, avenue Mira 66",
                                           "conference@kstu.example, +996 312 54 51 25",
                                           starts_at=time(10, 0), ends_at=time(17, 0)),
        "deadline_days": 2},
    "scholarship": {"name": "Chinese-language semester, spring 2027", "variant": "chinese_semester", "description": (
        "A semester of Chinese at Southwest Petroleum University (Sichuan, China): a scholarship of 5,000 "
        "yuan per semester; the Chinese side pays the hostel and the tuition, travel is at your own cost.")},
}
# The calls' names and descriptions as the office gives them in Russian and Kyrgyz (the English is written above).
CALL_TRANSLATIONS = {
    "mobility": {
        "ru": {"name": "Erasmus+ 2027", "description": "Один семестр или один учебный год в университете-партнёре. "
               "Обучение оплачивает Европейский союз; большинство студентов также получают ежемесячную стипендию."},
        "ky": {"name": "Erasmus+ 2027", "description": "Өнөктөш университетте бир семестр же бир окуу жылы. "
               "Окууну Европа Биримдиги төлөйт; көпчүлүк студенттер ай сайын стипендия да алышат."}},
    "staff_mobility": {
        "ru": {"name": "Erasmus+: мобильность сотрудников 2027",
               "description": "Преподавание или стажировка от 5 дней в университете-партнёре."},
        "ky": {"name": "Erasmus+: кызматкерлердин мобилдүүлүгү 2027",
               "description": "Өнөктөш университетте 5 күндөн кем эмес сабак берүү же стажировка."}},
    "admission": {
        "ru": {"name": "Приём 2027/28", "description": "Бакалавриат, магистратура и докторантура, а также "
               "9-месячные подготовительные курсы (русский язык, химия, физика, математика, биология) для "
               "иностранных граждан."},
        "ky": {"name": "Кабыл алуу 2027/28", "description": "Бакалавриат, магистратура жана докторантура, ошондой "
               "эле чет өлкөлүк жарандар үчүн 9 айлык даярдоо курстары (орус тили, химия, физика, математика, "
               "биология)."}},
    "hostel": {
        "ru": {"name": "Общежитие № 1, 2027/28", "description": "Специальные комнаты для иностранных студентов в "
               "общежитии № 1: 4 места в комнате, 3000 сом в месяц за место. Подайте заявку заранее."},
        "ky": {"name": "№ 1 жатакана, 2027/28", "description": "№ 1 жатаканада чет өлкөлүк студенттер үчүн атайын "
               "бөлмөлөр: бөлмөдө 4 орун, бир орун үчүн айына 3000 сом. Орунга алдын ала арыз бериңиз."}},
    "conference_registration": {
        "ru": {"name": "Немецкий язык и технологии 2027", "description": "Международная студенческая конференция "
               "на немецком языке, организованная вместе с DAAD. Студенты представляют свои проекты в виде "
               "научных постеров."},
        "ky": {"name": "Немис тили жана технология 2027", "description": "DAAD менен бирге уюштурулган немис "
               "тилиндеги эл аралык студенттик конференция. Студенттер долбоорлорун илимий постер катары "
               "көрсөтүшөт."}},
    "scholarship": {
        "ru": {"name": "Семестр китайского языка, весна 2027", "description": "Семестр китайского языка в "
               "Юго-Западном нефтяном университете (Сычуань, Китай): стипендия 5000 юаней за семестр; китайская "
               "сторона оплачивает общежитие и обучение, проезд — за свой счёт."},
        "ky": {"name": "Кытай тили семестри, 2027-жылдын жазы", "description": "Түштүк-Батыш мунай университетинде "
               "(Сычуань, Кытай) кытай тили семестри: семестрге 5000 юань стипендия; жатакананы жана окууну кытай "
               "тарабы төлөйт, жол кире — өз эсебиңизден."}},
    "commission": {
        "ru": {"name": "Летняя школа WEWEK 2027", "description": "Три недели практики на гидроэлектростанциях "
               "вместе с немецкими студентами (DAAD)."},
        "ky": {"name": "WEWEK жайкы мектеби 2027", "description": "Немис студенттери менен бирге "
               "гидроэлектростанцияларда үч жумалык практика (DAAD)."}},
}
# A second call with a selection commission: the demo screeners score its applications.
COMMISSION_CALL = {
    "type": "scholarship", "name": "Summer school WEWEK 2027", "variant": "summer_school", "seats": 2,
    "description": "Three weeks of practical training at hydropower plants, with German students (DAAD).",
    "commission": [f"screener.it@{DOMAIN}", f"screener.econ@{DOMAIN}"],
}
# States reached only in a call with a commission.
IN_COMMISSION_CALL = {("scholarship", "commission_scoring")}
# Further applicants waiting for the commission, with the first member's scores (the second has not scored).
COMMISSION_CANDIDATES = [("Bakyt Student", 4.8, 8), ("Nurlan Student", 4.5, 7), ("Saltanat Student", 4.9, 9)]
DEMO_COMMENT = "Demo: the reason the office gives the applicant."
# The data that routes a demo case into a state the engine reaches by itself.
DEMO_DATA = {
    ("admission", "visa_support"): {"visa_support": "yes"},
    ("admission", "awaiting_group"): {"level": "preparatory"},
    ("work_permit", "exempt"): {"exemption": "journalist"},
}

# The demo cases that show an incomplete checklist at the intake stage: no document uploaded yet
# (None), or one document (kind) rejected with the reason the applicant reads.
# The foreign specialists the office files work permits for: people without accounts of their own, whom the
# queue and the pages name (not the clerk who filed them).
EMPLOYEES = ("Hans Lehrer", "Aiko Tanaka", "Marta Nowak", "Jean Dupont", "Ayşe Yılmaz", "Rahul Mehta",
             "Elena Petrova", "Kim Min-jun", "Sara Rossi", "Pedro Alves")

INCOMPLETE_DOCUMENTS = {
    ("scholarship", "submitted"): None,
    ("mobility", "submitted"): ("passport", "The scan is cut off: the page with your photo and the expiry "
                                            "date must be readable. Please upload the whole page."),
}


def _next_first_of_september() -> str:
    """The start of the next academic year (a move-in day that is never in the past)."""
    today = date.today()
    return date(today.year if today < date(today.year, 9, 1) else today.year + 1, 9, 1).isoformat()


SAMPLES = {
    "mobility": {
        "full_name": "Asel Applicant",
        "email": "asel@example.org",
        "phone": "+996 555 123 456",
        "faculty": "IT",
        "department": "Computer Science",
        "specialty": "Software Engineering",
        "specialty_kind": "technical",
        "level": "bachelor",
        "enrolled_in": date.today().year - 3,  # two years and more at KSTU by any mobility that starts now
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
    "admission": {
        "full_name": "Li Wei",
        "email": "li.wei@example.org",
        "phone": "+86 138 0013 8000",
        "citizenship": "CN",
        "date_of_birth": "2006-05-14",
        "passport_number": "E12345678",
        "level": "bachelor",
        "faculty": "IT",
        "programme": "Software Engineering",
        "previous_education": "Secondary school No. 3, Urumqi, 2025: certificate of secondary education.",
        "visa_support": "no",
    },
    "work_permit": {
        "permit": "employee",
        "organisation": "Kyrgyz State Technical University",
        "full_name": "Hans Lehrer",
        "email": "hans@example.org",
        "date_of_birth": "1980-02-01",
        "passport_number": "C01X00T47",
        "nationality": "DE",
        "position": "DAAD lecturer",
        "status": "temporary_stay",
        "exemption": "none",
    },
    "hostel": {
        "full_name": "Li Wei",
        "email": "li.wei@example.org",
        "phone": "+86 138 0013 8000",
        "citizenship": "CN",
        "room_group": "men",
        "move_in": _next_first_of_september(),
        "months": 10,
        "studies": "Preparatory course 2027/28",
    },
    "conference_registration": {
        "full_name": "Dana Delegate",
        "email": "dana@example.org",
        "phone": None,
        "organisation": "Karaganda Technical University",
        "country": "KZ",
        "participant_kind": "speaker",
        "poster_title": "Welding of aluminium and mixtures of nanopowders",
    },
    "scholarship": {
        "full_name": "Aidana Student",
        "email": "aidana@example.org",
        "phone": "+996 555 777 888",
        "institution": "Kyrgyz State Technical University",
        "specialty": "Petroleum engineering",
        "academic_status": "student",
        "degree": "bachelor",
        "phd_awarded_on": None,
        "chinese_level": "basic",
        "gpa": 4.7,
        "stay_start": None,
        "stay_end": None,
        "dissertation_title": None,
        "motivation": "I study Chinese in the evening courses and want to work on joint oil projects.",
    },
}


def sample_application(case_type: str = "mobility", **overrides) -> dict:
    """Return an eligible application of ``case_type`` (as the form cleans it), with ``overrides``."""
    return {**SAMPLES[case_type], **overrides}


# What the office records when it fires a transition that asks for it (``recorded_at``), by field.
RECORDED_SAMPLES = {"permit_number": "KG-WP 2026/0412"}


def sample_recorded(workflow: Workflow, transition: str, then: tuple = ()) -> dict:
    """The values ``transition`` records in the demo: the samples above, and today for a day, or a day two
    years back when a step ``then`` waits for a deadline to pass (a permit whose year is over)."""
    waits = any(guard.name == "deadline_passed" for later in then for guard in later.guards)
    day = years_before(office_today(), 2) if waits else office_today()

    def sample(spec):
        if spec.type == "date":
            return day.isoformat()
        if spec.type == "room":  # the first room with a free place
            return next(value for value, _label, *attributes in rooms.choices() if not attributes[0])
        return RECORDED_SAMPLES[spec.name]

    return {spec.name: sample(spec) for spec in workflow.recorded_fields(transition)
            if spec.recorded_at}  # not an answer it changes


def load_demo() -> tuple[bool, dict]:
    """Load the demo data unless it exists; return (created, logins)."""
    logins = {
        "password": PASSWORD,
        "users": [(role, email) for role, email, _, _ in STAFF]
        # The office files some types (work permits) for people who have no account: no login of theirs.
        + [("applicant", "{" + ",".join(sorted(w.reference_prefix.lower() for w in catalog()
                                               if w.name in SAMPLES and "office_staff" not in w.submitted_by))
            + f"}}.<state>@{DOMAIN}, e.g. mob.accepted@{DOMAIN}: a case in that state")],
    }
    if db.session.scalar(select(Call.id).where(Call.name == CALLS["mobility"]["name"])) is not None:
        return False, logins
    staff = {}
    for role, email, faculty, name in STAFF:
        staff[email] = find_user(email) or create_user(email, PASSWORD, role, faculty, name)
    actors = {
        "faculty_screener": staff[f"screener.it@{DOMAIN}"],
        "office_staff": staff[f"office@{DOMAIN}"],
        "admin": staff[f"admin@{DOMAIN}"],
    }
    commission_call = _commission_call(staff)
    for workflow in catalog():
        if workflow.name in SAMPLES:
            _load_type(workflow, actors, commission_call)
    _score_candidates(commission_call, staff[COMMISSION_CALL["commission"][0]])
    return True, logins


def _commission_call(staff: dict) -> Call:
    spec = COMMISSION_CALL
    return create_call(spec["name"], spec["type"], utcnow() + timedelta(days=180), [], spec["seats"],
                       spec["description"], variant=spec["variant"],
                       commission=[staff[email].id for email in spec["commission"]],
                       translations=CALL_TRANSLATIONS["commission"], language=SOURCE_LANGUAGE)


def _mailbox(name: str) -> str:
    """A mailbox from a person's first name, in ASCII ("Ayşe Yılmaz": "ayse"): mail cannot carry "ayşe@"."""
    return unicodedata.normalize("NFKD", name.split()[0].lower()).encode("ascii", "ignore").decode()


def _score_candidates(call: Call, member: User) -> None:
    workflow = catalog()[call.type]
    office = find_user(f"office@{DOMAIN}")
    for name, gpa, score in COMMISSION_CANDIDATES:
        email = f"{_mailbox(name)}@{DOMAIN}"
        applicant = find_user(email) or create_user(email, PASSWORD, "applicant", None, name)
        case = create_case(workflow, applicant, sample_application(call.type, full_name=name, email=email, gpa=gpa),
                           call)
        upload_sample_documents(case, applicant)
        for transition in workflow.path_to(workflow.scoring.state):
            case = apply_transition(case.id, transition.name, office, case.version)
        record_score(case.id, member, score, "Demo: the member's note.")


def _load_type(workflow: Workflow, actors: dict, commission_call: Call) -> None:
    """Create the type's call and one case in every state people can reach, then fill its waiting states."""
    call = None
    # Room for every demo case at first; cut to what is taken before the waiting cases come.
    seats = len(workflow.states) if pool_of(workflow).kind.places_of_call else None
    if workflow.needs_call:
        partners = PARTNERS if workflow.partner_field else []
        spec = CALLS[workflow.name]
        schedule = spec["schedule"](office_today()) if "schedule" in spec else Schedule()
        call = create_call(spec["name"], workflow.name, utcnow() + timedelta(days=spec.get("deadline_days", 180)),
                           partners, seats, spec["description"], variant=spec.get("variant"),
                           translations=CALL_TRANSLATIONS[workflow.name], language=SOURCE_LANGUAGE,
                           schedule=schedule)
    # States reached only through a full pool (a waiting list) come last, when the places are taken.
    states = sorted(workflow.states, key=lambda s: s.name in workflow.waiting_states)
    for index, state in enumerate(states):
        if seats and state.name in workflow.waiting_states:
            _fill_places(call)
        steps = workflow.path_to(state.name)
        if "office_staff" in workflow.submitted_by:  # the office files these for the people they are about
            applicant = actors["office_staff"]
            person = EMPLOYEES[index % len(EMPLOYEES)]
            data = sample_application(workflow.name, full_name=person,
                                      email=f"{_mailbox(person)}.{state.name}@{DOMAIN}")
        else:
            applicant = _demo_applicant(workflow, state)
            data = sample_application(workflow.name, full_name=applicant.full_name, email=applicant.email)
        if workflow.subject is not None and workflow.subject.passport:  # one person a case: no false duplicates
            data[workflow.subject.passport] = f"{data[workflow.subject.passport]}{index}"
        data.update(DEMO_DATA.get((workflow.name, state.name), {}))
        if workflow.faculty_field:
            data[workflow.faculty_field.name] = "IT"  # the demo screener's faculty
        if workflow.partner_field:
            partner = PARTNERS[index % len(PARTNERS)]
            data.update({workflow.partner_field.name: partner["name"], "country": partner["country"]})
        in_commission_call = (workflow.name, state.name) in IN_COMMISSION_CALL
        case = create_case(workflow, applicant, data, commission_call if in_commission_call else call)
        if (workflow.name, state.name) in INCOMPLETE_DOCUMENTS:
            _leave_incomplete(case, applicant, actors["office_staff"], INCOMPLETE_DOCUMENTS[workflow.name, state.name])
        else:
            upload_sample_documents(case, applicant)
        for number, transition in enumerate(steps):
            actor = applicant if "applicant" in transition.roles else actors[transition.roles[0]]
            comment = DEMO_COMMENT if transition.comment_required else ""
            case = apply_transition(case.id, transition.name, actor, case.version, comment,
                                    recorded=sample_recorded(workflow, transition.name, steps[number + 1:]))


def upload_sample_documents(case: Case, actor: User, required_only: bool = True) -> list[Document]:
    """Upload, as ``actor``, a sample file for each document the case's checklist asks for (its required
    ones, unless ``required_only`` is false); nothing once the case is closed."""
    workflow = catalog()[case.type]
    if workflow.state(case.state).terminal:
        return []
    return [upload_sample(case.id, spec, actor)
            for spec in workflow.documents_for(case.data or {}) if spec.required or not required_only]


def upload_sample(case_id: int, spec: DocumentSpec, actor: User) -> Document:
    """Upload, as ``actor``, a valid sample file (``caseflow.documents.samples``) for the checklist entry ``spec``."""
    return upload_document(case_id, Upload(spec.kind, *sample_for(spec.accept, str(spec.label))), actor)


def _leave_incomplete(case: Case, applicant: User, office: User, rejected: tuple[str, str] | None) -> None:
    """Upload nothing (``rejected`` None), or everything with the document ``rejected`` names turned down."""
    if rejected is None:
        return
    kind, reason = rejected
    document = next(d for d in upload_sample_documents(case, applicant) if d.kind == kind)
    review_document(document.id, REJECTED, reason, office)


def _fill_places(call: Call) -> None:
    """Cut the call's places to those taken, so that the next applicant waits."""
    workflow = catalog()[call.type]
    with write_transaction() as session:
        taken = session.scalar(select(func.count()).select_from(Case).where(
            Case.call_id == call.id, Case.state.in_(workflow.seat_states)))
        session.execute(update(Call).where(Call.id == call.id).values(seats=taken))


def _demo_applicant(workflow: Workflow, state: State) -> User:
    email = f"{workflow.reference_prefix.lower()}.{state.name}@{DOMAIN}"
    name = f"{SAMPLES[workflow.name]['full_name']} ({state.label})"
    return find_user(email) or create_user(email, PASSWORD, "applicant", None, name)
