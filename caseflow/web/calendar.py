"""``/calendar``: a user's deadlines in their calendar app, and the page that gives them its address."""

from __future__ import annotations

from flask import abort, current_app, make_response, render_template, request
from flask_login import login_required

from caseflow.accounts.auth import me
from caseflow.scheduling.calendar_feed import (
    build_feed,
    feed_deadlines,
    feed_owner,
    feed_url,
    issue_token,
    token_created_at,
)
from caseflow.web.forms.base import PageForm

FEED_MAX_AGE = 300  # seconds; calendar apps poll far less often, and the feed is one query


@login_required
def page():
    """Show whether the user has a feed address; POST makes a new one and shows it, once."""
    user = me()
    form = PageForm()
    address = None
    if request.method == "POST":
        if not form.validate():
            abort(400)
        address = feed_url(issue_token(user))
    # The address is a credential: no browser or proxy keeps the page that shows it (a signed-in user's
    # page is no-store, caseflow.security_headers).
    return render_template("calendar/page.html", form=form, address=address, created_at=token_created_at(user))


def feed(token: str):
    """Serve the feed to whoever holds the address: the token is the credential, no login."""
    user = feed_owner(token)
    if user is None:
        abort(404)
    body = build_feed(feed_deadlines(user), current_app.config["CASEFLOW_TIMEZONE"])
    response = make_response(body)
    response.mimetype = "text/calendar"
    response.headers["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    response.add_etag()
    return response.make_conditional(request)
