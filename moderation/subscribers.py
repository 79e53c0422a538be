"""What moderation does after other writes: hide a post its flags weigh against, and put
held posts in the review queue (docs/moderation.md). Each re-reads the current state, so
running twice changes nothing."""

from django.contrib.contenttypes.models import ContentType

from core import events
from core.models import Event
from forum.models import Answer, Comment, Question
from moderation import actions


@events.subscriber("post.flagged")
def hide_when_flagged(event: Event) -> None:
    review_id = event.payload.get("review")
    if review_id is not None:
        actions.hide_when_flagged(review_id)


@events.subscriber("question.asked", "answer.posted", "comment.posted", "post.held")
def queue_held_post(event: Event) -> None:
    """A post created held (the spam check) or held by a moderator waits in the queue."""
    if event.subject_type_id is None:
        return
    model = ContentType.objects.get_for_id(event.subject_type_id).model_class()
    if model not in (Question, Answer, Comment):
        return
    post = model.objects.filter(pk=event.subject_id).first()
    if post is not None and post.is_held:
        actions.queue_held_post(post)
