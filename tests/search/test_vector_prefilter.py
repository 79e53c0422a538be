"""The sign-bit prefilter of the per-process matrix (search/vectors.py, `VectorIndex`;
docs/search.md, "Sign bits, then the exact cosine").

No database: the matrix is filled the way `refresh` fills it, from (key, bytes) rows.
The thresholds are lowered so that a few thousand rows take the prefiltered path.
"""

import numpy as np
import pytest

from search import vectors
from search.vectors import VectorIndex

DIMENSIONS = 384


@pytest.fixture
def prefilter(monkeypatch):
    monkeypatch.setattr(vectors, "PREFILTER_ROWS", 100)
    monkeypatch.setattr(vectors, "RESCORE_MIN", 50)
    monkeypatch.setattr(vectors, "RESCORE_SHARE", 0.05)


def e5_like(count: int, *, seed: int = 3) -> np.ndarray:
    """Unit vectors shaped like e5's: a large component they all share, plus one of 40
    topics, plus noise (so raw signs would be nearly identical for every row)."""
    rng = np.random.default_rng(seed)
    common = rng.normal(size=DIMENSIONS) * 6
    topics = rng.normal(size=(40, DIMENSIONS))
    rows = common + topics[rng.integers(0, 40, count)] + rng.normal(size=(count, DIMENSIONS))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def loaded(matrix: np.ndarray, *, kinds=None) -> VectorIndex:
    index = VectorIndex("test-model", DIMENSIONS)
    kinds = kinds or ["question"] * len(matrix)
    pairs = enumerate(zip(kinds, matrix, strict=True))
    rows = [(f"{kind}:{i}", row.tobytes()) for i, (kind, row) in pairs]
    index._load(len(rows), rows)
    return index


def exact(matrix: np.ndarray, query: np.ndarray, limit: int) -> list[str]:
    scores = matrix @ query
    return [f"question:{i}" for i in np.argsort(-scores, kind="stable")[:limit]]


def test_the_prefilter_finds_what_the_exact_product_finds(prefilter):
    rows = e5_like(3050)
    matrix, queries = rows[:3000], rows[3000:]  # queries from the same topics, held out
    index = loaded(matrix)
    found = [
        len({n.key for n in index.nearest(q, limit=10)} & set(exact(matrix, q, 10)))
        for q in queries
    ]
    # 150 of 3,000 rows rescored: nearly every true neighbour survives the prefilter.
    assert sum(found) / (10 * len(queries)) >= 0.95
    # ... and the cosine it reports is the exact one, best first.
    neighbours = index.nearest(queries[0], limit=10)
    cosines = [n.cosine for n in neighbours]
    assert cosines == sorted(cosines, reverse=True)
    row = int(neighbours[0].key.partition(":")[2])
    assert cosines[0] == pytest.approx(float(matrix[row] @ queries[0]), abs=1e-6)


def test_the_prefilter_is_not_used_below_its_threshold(prefilter, monkeypatch):
    matrix = e5_like(80)
    index = loaded(matrix)
    monkeypatch.setattr(VectorIndex, "_prefiltered", None)  # would fail if called
    query = e5_like(81)[80]
    assert [n.key for n in index.nearest(query, limit=5)] == exact(matrix, query, 5)


def test_a_dead_excluded_or_other_kind_row_is_never_returned_even_when_nearest(prefilter):
    matrix = e5_like(1000)
    kinds = ["question"] * 999 + ["article"]
    index = loaded(matrix, kinds=kinds)
    index._apply([("question:0", b"")])  # a tombstone: the thread is gone
    for row, kwargs in ((0, {}), (1, {"exclude": ["question:1"]}), (999, {"kinds": ["question"]})):
        found = [n.key for n in index.nearest(matrix[row], limit=20, **kwargs)]
        assert len(found) == 20
        assert f"{kinds[row]}:{row}" not in found
    assert index.nearest(matrix[999], limit=1)[0].key == "article:999"


def test_limit_above_the_rescored_share_still_returns_that_many(prefilter):
    index = loaded(e5_like(500))
    assert len(index.nearest(e5_like(501)[500], limit=300)) == 300


def test_rows_added_later_are_encoded_and_a_doubling_takes_the_centre_again(prefilter):
    matrix = e5_like(600)
    index = loaded(matrix[:120])
    first_centre = index.center.copy()
    index._apply((f"question:{i}", matrix[i].tobytes()) for i in range(120, 200))
    assert index.centered_on == 120  # grown by two thirds: same centre
    assert np.array_equal(index.center, first_centre)
    index._apply((f"question:{i}", matrix[i].tobytes()) for i in range(200, 600))
    assert index.centered_on == 600
    assert np.allclose(index.center, matrix.mean(axis=0), atol=1e-6)
    again = loaded(matrix)  # the same rows loaded at once encode the same bits
    assert np.array_equal(index.bits[:, :600], again.bits[:, :600])
    assert index.nearest(matrix[555], limit=1)[0].key == "question:555"
