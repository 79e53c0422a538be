"""The question page's posts rendered in Python (docs/performance.md, "The thread render,
uncached"): each answer with its solution note, visibility note, vote box, images,
actions, signature and comments, and the question's own vote box and comments. The
Django templates cost about 6,000 nodes per 100-answer render; this is one function call
per post.

The output is byte for byte what `forum/_answer.html` (with `_vote.html`,
`_comments.html`, `_visibility_note.html`, `_images.html` and moderation's
`_flag_button.html`) rendered: tests/forum/test_thread_render.py compares the two for
every kind of viewer in both languages, and the htmx vote and comment fragments. Change
both or neither. User content is the stored, sanitized HTML (`body_html`); everything
else is escaped here.

`{% answer_list %}`, `{% vote_box %}` and `{% comment_list %}` (forum_tags) call the
`render_*` functions; `forum/_vote.html` and `forum/_comments.html` are only those tags,
so the question page, its answers and the htmx fragments share one definition of each.
"""

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.functional import LazyObject, empty
from django.utils.html import conditional_escape as esc
from django.utils.translation import get_language, gettext, ngettext

from core.urlcache import reverse_one
from forum import permissions
from forum.models import Vote
from forum.templatetags.forum_tags import login_to_continue, member_chip, time_ago


def _number(value) -> str:
    return "" if value is None or value == "" else number_format(value, force_grouping=True)


class _Strings:
    """The page's fixed strings, translated once per render rather than per answer."""

    def __init__(self) -> None:
        g = gettext
        self.solution = g("Solution")
        self.by_asker = g("Accepted by the asker")
        self.staff_verified = g("Staff-verified solution")
        self.unaccept = g("Unaccept")
        self.verify = g("Verify solution")
        self.accept = g("Accept this answer")
        self.edit = g("Edit")
        self.history = g("History")
        self.link = g("Link")
        self.restore = g("Restore")
        self.delete = g("Delete")
        self.delete_yes = g("Yes, delete this answer")
        self.hide = g("Hide…")
        self.hide_yes = g("Hide this answer")
        self.unhide = g("Unhide…")
        self.unhide_yes = g("Make this answer visible again")
        self.note = g("Note for the audit log (optional)")
        self.answered = g("answered")
        self.deleted = g("This answer is deleted. Only moderators see it.")
        self.held_mod = g("Held for review: only its author and moderators see it.")
        self.hidden_mod = g("Hidden by a moderator: only its author and moderators see it.")
        self.held_own = g(
            "Your post is awaiting review. Only you and the moderators can see it until a "
            "moderator approves it."
        )
        self.hidden_own = g(
            "Your post was hidden by a moderator. Only you and the moderators can see it."
        )
        self.login_vote = g("Log in to vote")
        self.score = g("Score:")
        self.own_post = g("You can't vote on your own post.")
        self.closed = g("Voting is closed here.")
        self.up = g("Vote up")
        self.down = g("Vote down")
        self.retract_up = g("Retract your up vote")
        self.useful = g("This is useful")
        self.retract_down = g("Retract your down vote")
        self.not_useful = g("This is not useful")
        self.comments = g("Comments")
        self.delete_comment = g("Delete this comment?")
        self.delete_lower = g("delete")
        self.comment_lower = g("comment")
        self.add_comment = g("Add a comment")
        self.comment = g("Comment")
        self.clarify = g("Ask for clarification or suggest an improvement")
        self.leave_empty = g("Leave this field empty")
        self.images = g("Images")
        self.flag = g("Flag")
        self.this_answer = g("this answer")
        self.this_comment = g("this comment")
        self.privileges = g("How privileges and reputation work")
        self.answer_by = g("Answer by %(name)s")
        self.accepted_by = g("Accepted by %(name)s")
        self.verified_by = g("verified by %(name)s")
        self.vote_saved = g("Vote saved. The score is now %(score)s.")
        self.comment_rep = g("You can comment on others' posts once you have %(count)s reputation.")


# The two kinds of post with a vote box and comments, as their ids and URL names spell them.
_KINDS = {"question": "question", "answer": "answer"}
_STRINGS: dict[str, _Strings] = {}


def _strings() -> _Strings:
    """The fixed strings in the active language, translated once per process: the vote
    box and comments of the question and of each htmx fragment need them too."""
    language = get_language()
    strings = _STRINGS.get(language)
    if strings is None:
        strings = _STRINGS[language] = _Strings()
    return strings


def _unwrapped(user):
    """The user behind request.user's SimpleLazyObject: every attribute read through the
    wrapper is a function call, and a member's 100-answer render read about 14,000."""
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        return user._wrapped
    return user


class _Page:
    """What every post reads from the page's context."""

    def __init__(self, context, question=None) -> None:
        self.question = question
        self.user = _unwrapped(context.get("user"))
        self.can_flag = bool(context.get("can_flag"))
        token = context.get("csrf_token")
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(token)}">'
            if token and token != "NOTPROVIDED"  # noqa: S105 (Django's placeholder)
            else ""
        )
        self.comment_reputation = context.get("COMMENT_REPUTATION", "")
        self.s = _strings()
        self.authenticated = bool(getattr(self.user, "is_authenticated", False))
        self.login = None
        if not self.authenticated:
            self.login = esc(login_to_continue(context))


def render_answers(context, question) -> str:
    """`"\n    " + answer + "\n  "` per answer, as the template's for loop joined them."""
    page = _Page(context, question)
    return "".join(f"\n    {_answer(page, answer)}\n  " for answer in question.ordered_answers)


def render_vote_box(context, post, kind: str) -> str:
    """A question's or answer's vote box (`forum/_vote.html`: the page and the htmx vote)."""
    return _vote_box(_Page(context, context.get("question")), post, kind)


def render_comments(context, post, kind: str) -> str:
    """A question's or answer's comments and comment form (`forum/_comments.html`: the
    page and the htmx comment, whose `comment_form` comes back with its errors)."""
    page = _Page(context, context.get("question"))
    return _comment_list(page, post, kind, context.get("comment_form"))


def _answers_button(p, url: str, label: str, look: str, indent: int, extra: str = "") -> str:
    """An accept/unaccept/verify button: a form posting to `url` that swaps #answers."""
    pad = " " * indent
    return (
        f'\n{pad}<form class="inline-form" method="post" action="{url}" '
        f'hx-post="{url}" hx-target="#answers" hx-swap="outerHTML">\n'
        f'{pad}  {p.csrf}<button type="submit"{extra} '
        f'class="button button--small button--{look}">{label}</button>\n'
        f"{pad}</form>\n{pad[:-2]}"
    )


def _answer(p: _Page, a) -> str:
    s, q, user = p.s, p.question, p.user
    pk = a.pk
    accepted = pk == q.accepted_answer_id
    out = [
        '\n<article class="post post--answer',
        " post--accepted" if accepted else "",
        "" if a.is_visible else f" post--{esc(a.visibility)}",
        f'" id="answer-{pk}" aria-labelledby="answer-{pk}-label">\n',
        f'  <h3 class="visually-hidden" id="answer-{pk}-label">',
        s.answer_by % {"name": esc(a.author.name)},
        "</h3>\n  ",
    ]
    if accepted:
        out.append(
            '\n    <div class="solution">\n      <span class="badge badge--success">'
            f'<span aria-hidden="true">✓ </span>{s.solution}</span>\n'
            '      <span class="solution__detail">\n        '
        )
        if q.accepted_by_asker:
            out.append(f"\n          {s.by_asker}\n        ")
        elif q.accepted_by:
            out.append(f"\n          {s.accepted_by % {'name': esc(q.accepted_by.name)}}\n        ")
        out.append("\n        ")
        if q.accepted_at:
            out.append(time_ago(q.accepted_at))
        out.append("\n      </span>\n      ")
        if q.is_verified:
            out.append(
                '\n        <span class="badge badge--verified"><span aria-hidden="true">★ '
                f"</span>{s.staff_verified}</span>\n"
                '        <span class="solution__detail">\n          '
                f"{s.verified_by % {'name': esc(q.verified_by.name)}}\n"
                f"          {time_ago(q.verified_at)}\n        </span>\n      "
            )
        out.append("\n    </div>\n  ")
    out.append("\n  ")
    out.append(_visibility_note(p, a))
    out.append('\n  <div class="post__layout">\n    ')
    out.append(f"\n{_vote_box(p, a, 'answer')}\n")
    out.append(
        '\n    <div class="post__main">\n'
        f'      <div class="prose" lang="{esc(a.language)}">{a.body_html}</div>\n      '
    )
    out.append(_images(p, a.images))
    out.append(
        '\n      <footer class="post__footer">\n        <div class="post__actions">\n          '
    )
    if accepted:
        out.append("\n            ")
        if permissions.can_unaccept_answer(user, q):
            out.append(
                _answers_button(
                    p,
                    reverse_one("forum:unaccept", q.pk),
                    s.unaccept,
                    "outline",
                    14,
                    f' id="acceptance-{pk}"',
                )
            )
        out.append("\n            ")
        if permissions.can_verify_answer(user, q):
            out.append(
                _answers_button(p, reverse_one("forum:verify", q.pk), s.verify, "verified", 14)
            )
        out.append("\n          ")
    elif permissions.can_accept_answer(user, a.question, a):
        out.append(
            _answers_button(
                p,
                reverse_one("forum:accept", pk),
                s.accept,
                "success",
                12,
                f' id="acceptance-{pk}"',
            )
        )
    out.append("\n          ")
    if permissions.can_edit_post(user, a):
        out.append(
            '<a class="button button--small button--quiet" '
            f'href="{reverse_one("forum:edit_answer", pk)}">{s.edit}</a>'
        )
    out.append("\n          ")
    if permissions.can_view_revisions(user, a):
        out.append(
            '<a class="button button--small button--quiet" '
            f'href="{reverse_one("forum:answer_revisions", pk)}">{s.history}</a>'
        )
    out.append(
        '\n          <a class="button button--small button--quiet" '
        f'href="{reverse_one("forum:answer_short", pk)}">{s.link}</a>\n          '
    )
    if p.can_flag:
        out.append(_flag(p, a, "answer"))
    out.append("\n          ")
    if permissions.can_restore_post(user, a):
        out.append(
            '\n            <form class="inline-form" method="post" '
            f'action="{reverse_one("forum:restore_answer", pk)}">\n'
            f'              {p.csrf}<button type="submit" '
            f'class="button button--small button--outline">{s.restore}</button>\n'
            "            </form>\n          "
        )
    elif permissions.can_delete_post(user, a):
        out.append(
            '\n            <details class="confirm">\n'
            '              <summary class="button button--small button--quiet">'
            f"{s.delete}</summary>\n"
            '              <form class="inline-form" method="post" '
            f'action="{reverse_one("forum:delete_answer", pk)}">\n'
            f'                {p.csrf}<button type="submit" '
            f'class="button button--small button--danger">{s.delete_yes}</button>\n'
            "              </form>\n            </details>\n          "
        )
    out.append("\n          ")
    if permissions.can_hide_post(user, a):
        out.append(_visibility_tool(p, "hide", pk, s.hide, s.hide_yes, "danger"))
    elif permissions.can_unhide_post(user, a):
        out.append(_visibility_tool(p, "unhide", pk, s.unhide, s.unhide_yes, "outline"))
    out.append(
        '\n        </div>\n        <div class="post__signature">\n'
        f'          <span class="muted">{s.answered} {time_ago(a.created_at)}</span>\n'
        f"          {member_chip(a.author)}\n        </div>\n      </footer>\n      "
    )
    out.append(f"\n\n{_comment_list(p, a, 'answer')}\n\n")
    out.append("\n    </div>\n  </div>\n</article>\n")
    return "".join(out)


def _visibility_tool(p: _Page, verb: str, pk: int, summary: str, label: str, look: str) -> str:
    """A moderator's hide or unhide form for an answer, with an optional note."""
    s = p.s
    return (
        '\n            <details class="confirm">\n'
        '              <summary class="button button--small button--quiet">'
        f"{summary}</summary>\n"
        '              <form class="inline-form" method="post" '
        f'action="{reverse_one(f"forum:{verb}_answer", pk)}">\n'
        f'                {p.csrf}<label for="{verb}-note-{pk}">{s.note}</label> '
        f'<input type="text" name="note" id="{verb}-note-{pk}" maxlength="500"> '
        f'<button type="submit" class="button button--small button--{look}">{label}</button>\n'
        "              </form>\n            </details>\n          "
    )


def _visibility_note(p: _Page, post) -> str:
    if post.is_visible:
        return "\n\n"
    s = p.s
    if post.is_deleted:
        text = s.deleted
    elif permissions.moderates(p.user, post):
        text = s.held_mod if post.is_held else s.hidden_mod
    elif post.is_held:
        text = s.held_own
    else:
        text = s.hidden_own
    return (
        '\n\n  <p class="deleted-note visibility-note visibility-note--'
        f'{esc(post.visibility)}">\n    \n      {text}\n    \n  </p>\n\n'
    )


def _vote_box(p: _Page, post, kind: str) -> str:
    """`<div class="vote">…</div>` for a question (kind "question") or an answer."""
    s, user, pk = p.s, p.user, post.pk
    box = f"vote-{_KINDS[kind]}-{pk}"
    score = esc(_number(post.score))
    score_span = (
        f'<span class="vote__score"><span class="visually-hidden">{s.score} </span>{score}</span>'
    )
    out = [
        f'<div class="vote" id="{box}" data-announce="',
        s.vote_saved % {"score": score},
        '">\n  ',
    ]
    if not p.authenticated:
        out.append(
            f'\n    <a class="vote__button vote__button--up" href="{p.login}" '
            f'title="{s.login_vote}"><span class="visually-hidden">{s.login_vote}</span>'
            '<span aria-hidden="true">▲</span></a>\n'
            f"    {score_span}\n"
            f'    <a class="vote__button vote__button--down" href="{p.login}" '
            f'title="{s.login_vote}"><span class="visually-hidden">{s.login_vote}</span>'
            '<span aria-hidden="true">▼</span></a>\n  '
        )
    elif permissions.vote_refusal(user, post):
        own = permissions.is_member(user) and post.author_id == user.pk
        out.append(
            '\n    <button type="button" class="vote__button vote__button--up" disabled '
            f'title="{s.own_post if own else s.closed}"><span class="visually-hidden">'
            f'{s.up}</span><span aria-hidden="true">▲</span></button>\n'
            f"    {score_span}\n"
            '    <button type="button" class="vote__button vote__button--down" disabled>'
            f'<span class="visually-hidden">{s.down}</span><span aria-hidden="true">▼</span>'
            "</button>\n  "
        )
    else:
        mine = getattr(post, "my_vote", Vote.NONE)
        url = reverse_one(f"forum:vote_{kind}", pk)
        up_value = Vote.NONE if mine == Vote.UP else Vote.UP
        down_value = Vote.NONE if mine == Vote.DOWN else Vote.DOWN
        up_ok = permissions.can_vote_on(user, post, up_value)
        down_ok = permissions.can_vote_on(user, post, down_value)
        out.append(
            "\n    \n"
            f'    <form class="vote__form" method="post" action="{url}" hx-post="{url}" '
            'hx-target="closest .vote" hx-swap="outerHTML">\n'
            f"      {p.csrf}\n"
            f'      <button type="submit" name="value" value="{0 if mine == 1 else 1}" '
            f'id="{box}-up" class="vote__button vote__button--up"'
            f"{'' if up_ok else ' disabled'} "
            f'aria-pressed="{"true" if mine == 1 else "false"}" '
            f'title="{s.retract_up if mine == 1 else s.useful}"><span class="visually-hidden">'
            f'{s.up}</span><span aria-hidden="true">▲</span></button>\n'
            f"      {score_span}\n"
            f'      <button type="submit" name="value" value="{0 if mine == -1 else -1}" '
            f'id="{box}-down" class="vote__button vote__button--down"'
            f"{'' if down_ok else ' disabled'} "
            f'aria-pressed="{"true" if mine == -1 else "false"}" '
            f'title="{s.retract_down if mine == -1 else s.not_useful}">'
            f'<span class="visually-hidden">{s.down}</span><span aria-hidden="true">▼</span>'
            "</button>\n    </form>\n  "
        )
    out.append("\n</div>")
    return "".join(out)


def _images(p: _Page, images) -> str:
    if not images:
        return "\n"
    rows = "".join(
        f'\n  <li><a class="post-images__link" href="{esc(image.get_absolute_url())}">'
        f'<img src="{esc(image.get_thumbnail_url())}" width="{image.thumb_width}" '
        f'height="{image.thumb_height}" alt="{esc(image.alt_text)}" loading="lazy" '
        'decoding="async"></a></li>\n  '
        for image in images
    )
    return f'\n<ul class="post-images" aria-label="{p.s.images}">\n  {rows}\n</ul>\n\n'


def _flag(p: _Page, post, kind: str) -> str:
    if not (post.is_visible and post.author_id != getattr(p.user, "pk", None)):
        return "\n"
    s = p.s
    url = esc(reverse("moderation:flag", args=[kind, post.pk]))
    css = "link-button" if kind == "comment" else "button button--small button--quiet"
    what = s.this_answer if kind == "answer" else s.this_comment
    slot = f"flag-slot-{kind}-{post.pk}"
    return (
        f'<a href="{url}" class="{css} flag-button" hx-get="{url}" hx-target="#{slot}" '
        f'hx-swap="innerHTML" aria-controls="{slot}">{s.flag}<span class="visually-hidden"> '
        f'{what}</span></a><div class="flag-slot" id="{slot}"></div>\n'
    )


def _comment_list(p: _Page, post, kind: str, form=None) -> str:
    """`<div class="comments">…</div>` for a question or an answer: its comments, then the
    comment form, with `form`'s errors and text when a comment was refused."""
    s, user, pk = p.s, p.user, post.pk
    slot = f"{_KINDS[kind]}-{pk}"
    comments = list(post.comments.all())
    count = len(comments)
    announce = ngettext(
        "Comments updated: %(counter)s comment.", "Comments updated: %(counter)s comments.", count
    ) % {"counter": count}
    out = [
        f'<div class="comments" id="comments-{slot}" tabindex="-1" '
        f'data-announce="{announce}">\n    '
    ]
    if comments:
        # Question comments sit under the h1, answer comments under the answer's h3.
        heading = "h2" if kind == "question" else "h4"
        out.append(
            f'\n      \n      <{heading} class="visually-hidden">{s.comments}</{heading}>\n'
            '      <ul class="comment-list">\n        '
        )
        for c in comments:
            out.append(
                f'\n          <li class="comment" id="comment-{c.pk}">\n'
                f'            <span class="comment__body" lang="{esc(c.language)}">'
                f"{c.body_html}</span>\n"
                f'            <span class="comment__meta">\u2013 <a href="'
                f'{esc(c.author.get_absolute_url())}">{esc(c.author.name)}</a> '
                f"{time_ago(c.created_at)}</span>\n            "
            )
            if p.can_flag:
                out.append(_flag(p, c, "comment"))
            out.append("\n            ")
            if permissions.can_delete_comment(user, c):
                url = reverse_one("forum:delete_comment", c.pk)
                out.append(
                    f'\n              <form class="inline-form" method="post" action="{url}" '
                    f'hx-post="{url}" hx-target="#comments-{slot}" hx-swap="outerHTML" '
                    f'hx-confirm="{s.delete_comment}">\n'
                    f"                {p.csrf}\n"
                    '                <button type="submit" class="link-button link-button--danger">'
                    f'{s.delete_lower}<span class="visually-hidden"> {s.comment_lower}</span>'
                    "</button>\n              </form>\n            "
                )
            out.append("\n          </li>\n        ")
        out.append("\n      </ul>\n    ")
    out.append("\n  ")
    refusal = permissions.comment_refusal(user, post)
    if not refusal:
        url = reverse_one(f"forum:comment_{kind}", pk)
        body = form["body"] if form is not None else None
        errors = body.errors if body is not None else None
        value = body.value() if body is not None else None
        non_field = form.non_field_errors() if form is not None else None
        is_open = " open" if form is not None and form.errors else ""
        out.append(
            "\n    \n"
            f'    <details class="comment-form"{is_open}>\n'
            f"      <summary>{s.add_comment}</summary>\n"
            f'      <form method="post" action="{url}" hx-post="{url}" '
            f'hx-target="#comments-{slot}" hx-swap="outerHTML">\n'
            f"        {p.csrf}\n"
            f"        {esc(non_field) if non_field else ''}\n"
            f'        <label for="comment-body-{slot}" class="visually-hidden">'
            f"{s.comment}</label>\n        "
        )
        if errors:
            items = "".join(f"<li>{esc(error)}</li>" for error in errors)
            out.append(f'<ul class="errorlist" id="comment-errors-{slot}">{items}</ul>')
        invalid = f' aria-invalid="true" aria-describedby="comment-errors-{slot}"' if errors else ""
        out.append(
            f'\n        <textarea name="body" id="comment-body-{slot}" rows="2" '
            f'maxlength="600" required placeholder="{s.clarify}"{invalid}>'
            f"{'' if value is None else esc(value)}</textarea>\n"
            '        <span class="hp" aria-hidden="true">'
            f'<label for="comment-website-{slot}">{s.leave_empty}</label>'
            f'<input type="text" name="website" id="comment-website-{slot}" '
            'class="hp-input" tabindex="-1" autocomplete="off" value=""></span>\n'
            f'        <button type="submit" class="button button--small">{s.comment}</button>\n'
            "      </form>\n    </details>\n  "
        )
    elif refusal.code == "not_enough_reputation":
        link = f'<a class="privileges-link" href="{reverse("forum:privileges")}">{s.privileges}</a>'
        out.append(
            f'\n    <p class="hint">{s.comment_rep % {"count": esc(p.comment_reputation)}} '
            f"{link}</p>\n  "
        )
    out.append("\n</div>")
    return "".join(out)
