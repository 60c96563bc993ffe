"""The operators' log of what happens to cases: one line per committed submission or move.

The receiver of the domain signals (``caseflow.signals``), which are sent
only after a change is committed; so the log never tells of a change that
was rolled back.  Lines go to the ``caseflow.activity`` logger as JSON, for
whatever collects the service's logs (journald, a log shipper).
"""

from __future__ import annotations

import json
import logging

from flask import Flask

from caseflow import signals

log = logging.getLogger("caseflow.activity")


def case_created(app: Flask, case_id: int, actor_id: int | None) -> None:
    log.info(json.dumps({"event": "case.created", "case": case_id, "actor": actor_id}))


def case_transitioned(app: Flask, case_id: int, transition: str, from_state: str, to_state: str,
                      actor_id: int | None, comment: str) -> None:
    log.info(json.dumps({"event": "case.transitioned", "case": case_id, "transition": transition,
                         "from": from_state, "to": to_state, "actor": actor_id, "commented": bool(comment)}))


def init_app(app: Flask) -> None:
    signals.case_created.connect(case_created, sender=app)
    signals.case_transitioned.connect(case_transitioned, sender=app)
