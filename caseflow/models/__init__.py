"""Every table of the service, one module per domain.

The tables sit below the domain packages that act on them (``cases``,
``documents``, ``scheduling``, ``notify``, ``accounts``): a move of a case
writes its deadlines, its outbox message and reads its documents in one
transaction, and those packages in turn read cases.  With the tables
here, each package imports only the ones below it and no two packages
import each other.  Importing this package registers every table on the
metadata (Alembic, ``create_all``).
"""

from caseflow.models import accounts, audit, cases, deadlines, documents, outbox

__all__ = ["accounts", "audit", "cases", "deadlines", "documents", "outbox"]
