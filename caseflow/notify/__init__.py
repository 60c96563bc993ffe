"""E-mail that is never lost: messages are written to an outbox in the transaction
that causes them, and a delivery run sends them later (``delivery``)."""
