"""Tanya's search: one interface over the embedded database backend and Elasticsearch.

    search(query, *, filters=None, page=1, user=None) -> SearchResults
    similar_questions(title, *, limit=5) -> list[SearchResult]
    schedule_index_question(question_id) / schedule_remove_question(question_id)
    schedule_index_article(article_id)

The functions import lazily so that importing this package (as Django does when it loads
the app) does not touch models.
"""


def search(query, *, filters=None, page=1, user=None, page_size=None):
    from search.queries import search as _search

    return _search(query, filters=filters, page=page, user=user, page_size=page_size)


def similar_questions(title, *, limit=5, user=None):
    from search.queries import similar_questions as _similar

    return _similar(title, limit=limit, user=user)


def schedule_index_question(question_id: int) -> None:
    from search.indexing import schedule_index_question as _schedule

    _schedule(question_id)


def schedule_remove_question(question_id: int) -> None:
    from search.indexing import schedule_remove_question as _schedule

    _schedule(question_id)


def schedule_index_article(article_id: int) -> None:
    from search.indexing import schedule_index_article as _schedule

    _schedule(article_id)
