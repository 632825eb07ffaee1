"""Reading Watcher's paged collections, so that no caller forgets a page.

Watcher serves at most ``[api] max_limit`` items per page (1,000 by
default), sorted by ``id`` unless asked otherwise, and adds a ``next`` link
only when a page is full; that link drops the request's filters.  Every
page is read through here, following ``next`` rather than guessing from
the page size (a server whose max_limit is below the limit asked for still
sends full pages).  A ``next`` that leads back to a page already read, or
that never ends, is an error after a bounded number of pages.
"""

from urllib import parse as urlparse

from watcherclient_ext.api import answers

#: Pages one listing reads at most: ten million items at Watcher's default
#: max_limit, far beyond any real history, and still a few minutes of
#: requests, not for ever, when a server's ``next`` never ends.
MAX_PAGES = 10_000


class EndlessList(answers.MalformedAnswer):
    """Watcher's ``next`` links lead round in a circle, or never end."""


def pages(session, path, key, params=None, grow_to=None, text=(),
          optional_text=()):
    """Yield the item lists of every page of collection ``key``.

    With ``grow_to``, each page asks for twice the items of the one before,
    up to that many: a reader that usually stops early reads little, and
    one that does not makes few requests.  Each item is checked to have
    the ``text`` fields (and ``optional_text`` ones, if any) as strings.
    """
    params = dict(params or {})
    request = f"GET {path}"
    markers, queries, previous = set(), set(), None
    for _ in range(MAX_PAGES):
        markers.add(params.get("marker"))
        queries.add(tuple(sorted(params.items())))
        items, next_url = answers.page(
            session.get(path, params=params), request, key, text,
            optional_text)
        if items and items == previous:  # the marker ignored
            raise EndlessList(
                f"Watcher answered the page after marker "
                f"{params['marker']!r} of {request} with the page before "
                "it again; the listing stops there")
        yield items
        previous = items
        if not next_url or not items:
            return
        # Only the marker of ``next`` counts: its host is the server's view
        # of itself, which may not be the endpoint this client reaches it
        # by, and its query drops the filters (audit_uuid,
        # action_plan_uuid), which stay ours, as do the order and limit.
        query = dict(urlparse.parse_qsl(urlparse.urlsplit(next_url).query))
        params["marker"] = query.get("marker")
        if grow_to and params.get("limit"):
            params["limit"] = min(int(params["limit"]) * 2, grow_to)
        if params["marker"] in markers or (
                tuple(sorted(params.items())) in queries):
            raise EndlessList(
                f"Watcher's `next` link repeats a page already read of "
                f"{request} (marker {params['marker']!r}); the listing "
                "stops there")
    raise EndlessList(
        f"Watcher's `next` link did not end after {MAX_PAGES} pages of "
        f"{request}; the listing stops there")


def items(session, path, key, params=None, grow_to=None, text=(),
          optional_text=()):
    """Every item of collection ``key``, page after page, lazily."""
    for page in pages(session, path, key, params, grow_to, text,
                      optional_text):
        yield from page
