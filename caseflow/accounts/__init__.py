"""Users, roles, faculties, API tokens, login, and the permission predicates."""
