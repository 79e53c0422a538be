"""A "Was this helpful?" vote over the limit, without htmx, is the site's "slow down"
page: 429 with Retry-After, like every other rate-limit refusal (docs/spam.md)."""

import pytest
from django.urls import reverse

from kb.actions import promote_question
from kb.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_a_helpfulness_vote_over_the_limit_is_the_slow_down_page(
    client, settings, editor, solved_question
):
    settings.TANYA_KB = {**settings.TANYA_KB, "HELPFUL_VOTE_RATE": (0, 3600)}
    article = promote_question(editor, solved_question)
    ArticlePage.objects.get(pk=article.pk).get_latest_revision().publish(user=editor)

    response = client.post(reverse("kb:rate", args=[article.pk]), {"helpful": "yes"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
