"""The JSON API, version 1 (its contract is described by openapi.py).

Importing the package registers every route on ``bp``; ``caseflow.web``
mounts it at ``/api/v1``.
"""

from caseflow.api import documents, exports, ranking, views
from caseflow.api.blueprint import bp

__all__ = ["bp", "documents", "exports", "ranking", "views"]
