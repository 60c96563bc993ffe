"""The partners of a call as a form offers them: each by its name and country, a full one shown so."""

from __future__ import annotations

from caseflow import countries
from caseflow.cases import queries
from caseflow.i18n import _
from caseflow.models.cases import Call


def partner_choices(call: Call) -> list[tuple]:
    """The call's partners to choose from; one with no seat left is shown so, and cannot be chosen unless the
    call keeps a reserve list (the rule chosen_pool_has_seats refuses it too)."""
    taken = queries.seats_taken([call.id])
    choices = []
    for partner in call.partners:
        label = f"{partner.name} ({countries.name(partner.country)})"
        if taken.partner_left(partner) == 0:
            full = _("no seat left: reserve list") if call.reserve_list else _("no seat left")
            choices.append((partner.name, f"{label} — {full}", {} if call.reserve_list else {"disabled": True}))
        else:
            choices.append((partner.name, label))
    return choices
