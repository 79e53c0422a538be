import pytest

from forum import actions
from tests.factories import CategoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_question_can_be_asked_answered_voted_and_accepted():
    asker, answerer, voter = UserFactory(), UserFactory(), UserFactory(reputation=200)
    category = CategoryFactory()
    question = actions.ask_question(
        asker,
        title="How do I pay my invoice?",
        body="Where is the billing page hidden?",
        category=category,
        tags="billing invoices",
    )
    answer = actions.post_answer(answerer, question, body="Settings, then Billing, then Pay now.")
    answer = actions.cast_vote(voter, answer, 1)
    actions.accept_answer(asker, question, answer)
    answerer.refresh_from_db()
    asker.refresh_from_db()
    assert answer.score == 1
    assert answerer.reputation == 1 + 10 + 15
    assert asker.reputation == 1 + 2
