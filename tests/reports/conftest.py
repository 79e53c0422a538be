"""The knowledge-base fixtures, for the self-service report."""

from tests.kb.conftest import editor, kb_index, solved_question  # noqa: F401 (fixtures)
