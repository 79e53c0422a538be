"""Every button on the question page shows exactly when its action would succeed.

For each question state and each viewer, the page is rendered, then every action it
could offer is tried (and rolled back): a button is on the page if and only if its
action goes through and changes something.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from forum import actions
from forum.errors import DomainError
from forum.models import Answer, Comment, Question, Visibility, Vote
from tests.factories import (
    AnswerFactory,
    CommentFactory,
    ModeratorFactory,
    QuestionFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

STATES = ["open", "closed", "locked", "deleted", "held", "hidden"]
VIEWERS = ["anonymous", "author", "other member", "trusted member", "moderator", "staff"]


class _RolledBack(Exception):
    pass


@dataclass
class Thread:
    question: Question
    own: Answer  # by the question's author
    other: Answer  # by someone else; accepted in the "accepted" threads
    gone: Answer  # someone else's deleted answer
    hidden: Answer  # someone else's answer, hidden by a moderator
    comment: Comment  # the author's comment on the question


def _thread(state: str, *, accepted: bool) -> Thread:
    author = UserFactory(reputation=200)
    question = QuestionFactory(author=author)
    own = AnswerFactory(question=question, author=author)
    other = AnswerFactory(question=question)
    gone = AnswerFactory(question=question, deleted=True)
    hidden = AnswerFactory(question=question, visibility=Visibility.HIDDEN)
    comment = CommentFactory(question=question, author=author)
    if accepted:
        actions.accept_answer(author, question, other)
    changes = {"open": {}, "closed": {"state": "closed"}, "locked": {"state": "locked"}}.get(
        state, {}
    )
    if state == "deleted":
        changes = {"visibility": Visibility.DELETED, "deleted_at": timezone.now()}
    elif state in ("held", "hidden"):
        changes = {"visibility": state}
    Question.objects.filter(pk=question.pk).update(**changes)
    return Thread(question, own, other, gone, hidden, comment)


def _viewer(name: str, thread: Thread):
    return {
        "anonymous": lambda: None,
        "author": lambda: thread.question.author,
        "other member": UserFactory,
        "trusted member": lambda: UserFactory(trusted=True),
        "moderator": ModeratorFactory,
        "staff": StaffFactory,
    }[name]()


def _fresh(model, pk):
    return model.objects.get(pk=pk)


def _succeeds(action: Callable[[], bool]) -> bool:
    """Whether `action` goes through and changes something; rolled back either way."""
    outcome = False
    try:
        with transaction.atomic():
            try:
                outcome = bool(action())
            except DomainError:
                outcome = False
            raise _RolledBack
    except _RolledBack:
        pass
    return outcome


# --- What each button does ---------------------------------------------------------------


def _edit_question(user, t: Thread) -> bool:
    q = _fresh(Question, t.question.pk)
    actions.edit_question(user, q, title=q.title, body=q.body + " More detail.", tags=["wifi"])
    return _fresh(Question, q.pk).body != q.body


def _edit_answer(answer_of: Callable[[Thread], Answer]):
    def edit(user, t: Thread) -> bool:
        answer = _fresh(Answer, answer_of(t).pk)
        actions.edit_answer(user, answer, body=answer.body + " And then wait.")
        return _fresh(Answer, answer.pk).body != answer.body

    return edit


def _delete_question(user, t: Thread) -> bool:
    actions.delete_question(user, _fresh(Question, t.question.pk))
    return _fresh(Question, t.question.pk).visibility != t.question_visibility


def _restore_question(user, t: Thread) -> bool:
    actions.restore_question(user, _fresh(Question, t.question.pk))
    return _fresh(Question, t.question.pk).visibility != t.question_visibility


def _delete_answer(answer_of):
    def delete(user, t: Thread) -> bool:
        before = _fresh(Answer, answer_of(t).pk)
        actions.delete_answer(user, before)
        return _fresh(Answer, before.pk).visibility != before.visibility

    return delete


def _restore_answer(answer_of):
    def restore(user, t: Thread) -> bool:
        before = _fresh(Answer, answer_of(t).pk)
        actions.restore_answer(user, before)
        return _fresh(Answer, before.pk).visibility != before.visibility

    return restore


def _visibility(action, post_of):
    """Hide or unhide (forum/actions/visibility.py): a moderator tool."""

    def move(user, t: Thread) -> bool:
        post = post_of(t)
        before = _fresh(type(post), post.pk)
        action(user, before, reason="checked")
        return _fresh(type(post), post.pk).visibility != before.visibility

    return move


def _accept(answer_of):
    def accept(user, t: Thread) -> bool:
        answer = _fresh(Answer, answer_of(t).pk)
        actions.accept_answer(user, _fresh(Question, t.question.pk), answer)
        return _fresh(Question, t.question.pk).accepted_answer_id == answer.pk != t.accepted_id

    return accept


def _unaccept(user, t: Thread) -> bool:
    actions.unaccept_answer(user, _fresh(Question, t.question.pk))
    return _fresh(Question, t.question.pk).accepted_answer_id != t.accepted_id


def _verify(user, t: Thread) -> bool:
    actions.verify_answer(user, _fresh(Question, t.question.pk))
    return _fresh(Question, t.question.pk).verified_by_id is not None


def _comment(post_of):
    def comment(user, t: Thread) -> bool:
        post = post_of(t)
        actions.post_comment(user, _fresh(type(post), post.pk), body="Which firmware is it?")
        return True

    return comment


def _delete_comment(user, t: Thread) -> bool:
    actions.delete_comment(user, _fresh(Comment, t.comment.pk))
    return _fresh(Comment, t.comment.pk).is_deleted


def _vote(post_of, value: int):
    def vote(user, t: Thread) -> bool:
        post = post_of(t)
        before = _fresh(type(post), post.pk).score
        actions.cast_vote(user, _fresh(type(post), post.pk), value)
        return _fresh(type(post), post.pk).score != before

    return vote


def _answer(user, t: Thread) -> bool:
    actions.post_answer(user, _fresh(Question, t.question.pk), body="Try a different channel.")
    return True


# --- How each button shows on the page ---------------------------------------------------


def _link(name: str, pk_of) -> Callable[[str, Thread], bool]:
    return lambda html, t: f'href="{reverse(name, args=[pk_of(t)])}"' in html


def _form(name: str, pk_of) -> Callable[[str, Thread], bool]:
    return lambda html, t: f'action="{reverse(name, args=[pk_of(t)])}"' in html


def _vote_button(kind: str, pk_of, direction: str) -> Callable[[str, Thread], bool]:
    def shown(html: str, t: Thread) -> bool:
        match = re.search(rf'id="vote-{kind}-{pk_of(t)}-{direction}"[^>]*>', html)
        return match is not None and " disabled" not in match.group(0)

    return shown


def question(t):
    return t.question.pk


def _q(t):
    return t.question


def own(t):
    return t.own.pk


def other(t):
    return t.other.pk


def gone(t):
    return t.gone.pk


BUTTONS = {
    "edit question": (_link("forum:edit_question", question), _edit_question),
    "delete question": (_form("forum:delete_question", question), _delete_question),
    "restore question": (_form("forum:restore_question", question), _restore_question),
    "edit own answer": (_link("forum:edit_answer", own), _edit_answer(lambda t: t.own)),
    "edit other answer": (_link("forum:edit_answer", other), _edit_answer(lambda t: t.other)),
    "delete own answer": (_form("forum:delete_answer", own), _delete_answer(lambda t: t.own)),
    "delete other answer": (
        _form("forum:delete_answer", other),
        _delete_answer(lambda t: t.other),
    ),
    "restore answer": (_form("forum:restore_answer", gone), _restore_answer(lambda t: t.gone)),
    "hide question": (_form("forum:hide", question), _visibility(actions.hide_post, _q)),
    "unhide question": (_form("forum:unhide", question), _visibility(actions.unhide_post, _q)),
    "hide other answer": (
        _form("forum:hide_answer", other),
        _visibility(actions.hide_post, lambda t: t.other),
    ),
    "unhide hidden answer": (
        _form("forum:unhide_answer", lambda t: t.hidden.pk),
        _visibility(actions.unhide_post, lambda t: t.hidden),
    ),
    "accept own answer": (_form("forum:accept", own), _accept(lambda t: t.own)),
    "accept other answer": (_form("forum:accept", other), _accept(lambda t: t.other)),
    "unaccept": (_form("forum:unaccept", question), _unaccept),
    "verify": (_form("forum:verify", question), _verify),
    "comment on question": (
        _form("forum:comment_question", question),
        _comment(lambda t: t.question),
    ),
    "comment on other answer": (
        _form("forum:comment_answer", other),
        _comment(lambda t: t.other),
    ),
    "delete comment": (
        _form("forum:delete_comment", lambda t: t.comment.pk),
        _delete_comment,
    ),
    "vote up question": (
        _vote_button("question", question, "up"),
        _vote(lambda t: t.question, Vote.UP),
    ),
    "vote down question": (
        _vote_button("question", question, "down"),
        _vote(lambda t: t.question, Vote.DOWN),
    ),
    "vote up other answer": (
        _vote_button("answer", other, "up"),
        _vote(lambda t: t.other, Vote.UP),
    ),
    "vote down own answer": (
        _vote_button("answer", own, "down"),
        _vote(lambda t: t.own, Vote.DOWN),
    ),
    "answer": (_form("forum:answer", question), _answer),
}


@pytest.mark.parametrize("accepted", [False, True], ids=["unsolved", "solved"])
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("state", STATES)
def test_each_button_shows_exactly_when_its_action_would_succeed(client, state, viewer, accepted):
    thread = _thread(state, accepted=accepted)
    user = _viewer(viewer, thread)
    fresh = _fresh(Question, thread.question.pk)
    thread.question_visibility = fresh.visibility
    thread.accepted_id = fresh.accepted_answer_id
    if user is not None:
        client.force_login(user)
    response = client.get(fresh.get_absolute_url())
    html = response.text if response.status_code == 200 else ""

    mismatches = {}
    for name, (shown, action) in BUTTONS.items():
        on_page = shown(html, thread)
        works = user is not None and _succeeds(lambda: action(user, thread))  # noqa: B023
        if on_page != works:
            mismatches[name] = {"shown": on_page, "succeeds": works}

    assert mismatches == {}


def test_every_button_marker_matches_somewhere(client):
    # A guard against markers that never match (and a matrix that passes by hiding all).
    client.force_login(ModeratorFactory())
    shown = set()
    cases = [("open", False), ("open", True), ("deleted", False), ("hidden", False)]
    for state, accepted in cases:
        thread = _thread(state, accepted=accepted)
        html = client.get(thread.question.get_absolute_url()).text
        shown |= {name for name, (marker, _action) in BUTTONS.items() if marker(html, thread)}

    assert shown == set(BUTTONS)
