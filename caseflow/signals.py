"""Domain signals; each is sent after its transaction has committed."""

from blinker import Namespace

_signals = Namespace()

case_created = _signals.signal(
    "case-created",
    doc="A case was submitted. Sender: the app; kwargs: case_id, actor_id.",
)
case_transitioned = _signals.signal(
    "case-transitioned",
    doc=(
        "A case moved along a transition. Sender: the app; kwargs: case_id, "
        "transition, from_state, to_state, actor_id, comment."
    ),
)
