"""How much a person may type or send, declared once.

The pages' forms and the API's schema (and so its OpenAPI document) take
each number from here; where an operation checks a value again (a comment,
a rejection reason, a score's note), it takes the same number.
"""

LINE = 200  # one line: a name, a title, a partner institution
TEXT = 5000  # several lines: a comment on an action, a motivation
DESCRIPTION = 20_000  # a call's description, shown on its public page
COUNTRY = 100
EMAIL = 254  # the longest address SMTP carries
PHONE = 30
FACULTY_CODE = 20
CHOICE = 50  # a value of a choice field or a programme
REASON = 2000  # why a document is rejected (the applicant reads it)
SCORE_COMMENT = 2000  # a commission member's note on a score
PASSWORD = 1000
REQUEST_KEY = 100  # an Idempotency-Key (a UUID is 36) or a form's one-time token
TOKEN_NAME = 100  # what an API token is for ("the faculty's import script")

# What one request may carry besides a document (whose limit is the setting CASEFLOW_MAX_UPLOAD_MB): a
# page's form or a JSON body.  The largest the pages send, a call's (its description in four languages
# and PARTNERS rows), is about 850 KB when every letter is Cyrillic and percent-encoded (6 bytes each).
REQUEST_BYTES = 1024 * 1024
JSON_DEPTH = 16  # objects and lists inside each other in a JSON body; the API's own nest 3 deep

PARTNER_SEATS = 1000  # seats one partner offers in one call
ROOM_PLACES = 20  # places of one hostel room (the seed's rooms have 4)
CALL_SEATS = 100_000  # places one call offers
PARTNERS = 200  # partners of one call
COMMISSION = 50  # members of one selection commission

# Ids are PostgreSQL integers: a larger number sent to the database would fail there (and overflow
# SQLite's driver) as a server error instead of the 404 or 422 it deserves.
MAX_ID = 2**31 - 1
MAX_PAGE = 1_000_000  # a page number far beyond any real list is refused, not sent to the database
