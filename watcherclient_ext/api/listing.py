"""Reading Watcher's paged collections, so that no caller forgets a page.

Watcher serves at most ``[api] max_limit`` items per page (1,000 by
default), sorted by ``id`` unless asked otherwise, and adds a ``next`` link
only when a page is full; that link drops the request's filters.  Every
page is read through here, following ``next`` rather than guessing from
the page size (a server whose max_limit is below the limit asked for still
sends full pages).
"""

from urllib import parse as urlparse


def pages(session, path, key, params=None, grow_to=None):
    """Yield the item lists of every page of collection ``key``.

    With ``grow_to``, each page asks for twice the items of the one before,
    up to that many: a reader that usually stops early reads little, and
    one that does not makes few requests.
    """
    params = dict(params or {})
    while True:
        body = session.get(path, params=params) or {}
        items = body.get(key) or []
        yield items
        next_url = body.get("next")
        if not next_url or not items:
            return
        # Only the query of ``next`` counts: its host is the server's view of
        # itself, which may not be the endpoint this client reaches it by.
        # And it carries the order, limit and marker but not the filters
        # (audit_uuid, action_plan_uuid): those stay ours.
        limit = params.get("limit")
        params.update(urlparse.parse_qsl(urlparse.urlsplit(next_url).query))
        if grow_to and limit:
            params["limit"] = min(int(limit) * 2, grow_to)


def items(session, path, key, params=None, grow_to=None):
    """Every item of collection ``key``, page after page, lazily."""
    for page in pages(session, path, key, params, grow_to):
        yield from page
