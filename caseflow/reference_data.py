"""Reference data seeded by ``init-db``: the university's faculties and institutes.

Admins edit them afterwards (web page and ``GET /api/v1/faculties``); the
codes are what the ``faculty`` form field and ``create-user --faculty`` take.
"""

FACULTIES = (
    ("IT", "Faculty of Information Technology"),
    ("EN", "Faculty of Energy"),
    ("TECH", "Faculty of Technology"),
    ("TRANS", "Faculty of Transport and Mechanical Engineering"),
    ("MMI", "Mining and Metallurgical Institute"),
    ("ECON", "Institute of Economics and Management"),
    ("KGTI", "Kyrgyz-German Technical Institute"),
)
