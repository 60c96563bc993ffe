"""Reference data seeded by ``init-db``: faculties and the lists workflows refer to.

Admins edit them afterwards (web pages; ``GET /api/v1/faculties``); the
faculty codes are what the ``faculty`` form field and ``create-user
--faculty`` take.
"""

from sqlalchemy import func, select

from caseflow.accounts.operations import save_faculty
from caseflow.cases.operations import add_list_item
from caseflow.cases.rooms import HOSTEL, ROOM_PLACES
from caseflow.extensions import db
from caseflow.i18n import SOURCE_LANGUAGE
from caseflow.models.accounts import Faculty
from caseflow.models.cases import ReferenceItem, Room

# The faculties and institutes of KSTU, named in each language as the university names them.
FACULTIES = (
    ("IT", {"en": "Faculty of Information Technology", "ru": "Факультет информационных технологий",
            "ky": "Маалыматтык технологиялар факультети"}),
    ("EN", {"en": "Faculty of Energy", "ru": "Энергетический факультет", "ky": "Энергетика факультети"}),
    ("TECH", {"en": "Faculty of Technology", "ru": "Технологический факультет", "ky": "Технология факультети"}),
    ("TRANS", {"en": "Faculty of Transport and Mechanical Engineering",
               "ru": "Факультет транспорта и машиностроения", "ky": "Транспорт жана машина куруу факультети"}),
    ("MMI", {"en": "Mining and Metallurgical Institute", "ru": "Горно-металлургический институт",
             "ky": "Тоо-кен металлургия институту"}),
    ("ECON", {"en": "Institute of Economics and Management", "ru": "Институт экономики и менеджмента",
              "ky": "Экономика жана менеджмент институту"}),
    ("KGTI", {"en": "Kyrgyz-German Technical Institute", "ru": "Кыргызско-Германский технический институт",
              "ky": "Кыргыз-Герман техникалык институту"}),
)

# Seed: the lower work-permit duty (1000 som) is for "foreign citizens of the
# EU and Asia member states, with which the Kyrgyz Republic has bilateral or
# multilateral agreements in the field of labor migration"; the office keeps
# the list of those states up to date on /admin/lists.
REFERENCE_LISTS = {
    "labour_migration_agreement": ("AM", "BY", "KZ", "RU"),  # Armenia, Belarus, Kazakhstan, Russia
}


# The hostel's rooms where the list starts (the admins keep it on /admin/rooms): ten rooms of 4.
ROOMS = tuple(f"{floor}{number:02d}" for floor in (1, 2) for number in range(1, 6))


def seed_reference_data() -> None:
    """Seed the faculties, the reference lists and the hostel's rooms where they are still empty."""
    if db.session.scalar(select(func.count()).select_from(Faculty)) == 0:
        for code, names in FACULTIES:
            save_faculty(code, names[SOURCE_LANGUAGE], SOURCE_LANGUAGE, names)
    for list_name, values in REFERENCE_LISTS.items():
        count = select(func.count()).select_from(ReferenceItem).where(ReferenceItem.list_name == list_name)
        if db.session.scalar(count) == 0:
            for value in values:
                add_list_item(list_name, value)
    if db.session.scalar(select(func.count()).select_from(Room)) == 0:
        db.session.add_all(Room(building=HOSTEL, number=number, places=ROOM_PLACES) for number in ROOMS)
        db.session.commit()
