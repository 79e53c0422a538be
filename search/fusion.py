"""Combining the lexical list and the semantic list into one ranking (database backends).

Equal-weight reciprocal-rank fusion was measured to fall below the embedding alone on the
FAQ set (issue 15), so the lists are combined by score, weighted, with the weights tuned
on both relevance sets (benchmarks/search_relevance.py --tune; docs/search.md):

    fused = (1 - SEMANTIC_WEIGHT) * lexical / best_lexical
            + SEMANTIC_WEIGHT * boost * clip((cosine - COSINE_FLOOR) / (1 - COSINE_FLOOR), 0, 1)

`lexical` is the backend's relevance times the document's boost (solved threads and
articles first), taken relative to the best lexical match of the query; the semantic part
carries the same boost. A document only the embedding found is kept when its cosine
reaches MIN_COSINE: a query about nothing the forum holds still finds nothing.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class FusionParams:
    # Tuned with `benchmarks/search_relevance.py --tune` on the tuning halves of both sets
    # (sha1(query id) even; docs/search.md), reported on the held-out halves.
    semantic_weight: float = 0.95
    cosine_floor: float = 0.75
    min_cosine: float = 0.84  # a document found by the embedding alone needs this much
    semantic_candidates: int = 100  # nearest vectors considered per search()
    similar_candidates: int = 20  # ... per similar_questions()


PARAMS = FusionParams()


def fuse(lexical: list[tuple], semantic: list[tuple], params: FusionParams = PARAMS) -> list[tuple]:
    """(id, kind, category, solved, score, *facts) rows, best first.

    `lexical`: the backend's ranked (id, kind, category, solved, rank, *facts) rows, best
    first. `semantic`: (id, kind, category, solved, boost, cosine, *facts) rows, any order.
    `facts` are whatever the backend reads beside them (database.FACTS), passed through.
    """
    if not semantic:
        return lexical
    best = max((row[4] for row in lexical), default=0.0) or 1.0
    span = max(1e-6, 1.0 - params.cosine_floor)
    scores: dict[int, float] = {}
    facts: dict[int, tuple] = {}
    order: dict[int, int] = {}
    for position, (pk, kind, category_id, solved, rank, *extra) in enumerate(lexical):
        scores[pk] = (1 - params.semantic_weight) * max(0.0, rank) / best
        facts[pk] = (kind, category_id, solved, extra)
        order[pk] = position
    for pk, kind, category_id, solved, boost, cosine, *extra in semantic:
        if pk not in scores and cosine < params.min_cosine:
            continue
        closeness = min(1.0, max(0.0, (cosine - params.cosine_floor) / span))
        scores[pk] = scores.get(pk, 0.0) + params.semantic_weight * boost * closeness
        facts.setdefault(pk, (kind, category_id, solved, extra))
        order.setdefault(pk, len(lexical) + len(order))
    ranked = sorted(scores, key=lambda pk: (-scores[pk], order[pk]))
    return [(pk, *facts[pk][:3], scores[pk], *facts[pk][3]) for pk in ranked]
