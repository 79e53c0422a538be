"""Tanya's search: one interface over the embedded database backend and Elasticsearch.

    search(query, *, filters=None, page=1, user=None) -> SearchResults
    similar_questions(title, *, limit=5) -> list[SearchResult]

Nothing tells search to index: it subscribes to other apps' events (search/subscribers.py).
The functions import lazily so that importing this package (as Django does when it loads
the app) does not touch models.
"""


def search(query, *, filters=None, page=1, user=None, page_size=None):
    from search.queries import search as _search

    return _search(query, filters=filters, page=page, user=user, page_size=page_size)


def similar_questions(title, *, limit=5, user=None):
    from search.queries import similar_questions as _similar

    return _similar(title, limit=limit, user=user)
