"""`manage.py load_demo`: the Nusantara Cloud demo community (forum/demo.py, kb/demo.py),
idempotently. It lives in config, the layer above every app, because it loads them all.

Every post, comment, vote, acceptance and state change goes through forum.actions, so the
reputation ledger and the cached totals agree exactly as they would after real use. The
pages (the community index and its categories) go through Wagtail's page API, with a
revision published by the staff member. Members are created with the auth API.

Idempotent: members are found by username, categories by slug and threads by title;
anything already there is left alone, and the whole load is one transaction, so a thread
is either fully loaded or not at all. Running it twice changes nothing and prints the same
table of demo accounts.

The order is the order real privileges allow: questions, answers, acceptances and
verifications first; then votes, staff and moderators' first (they need no reputation), so
that by the time members vote they have earned the 15 points it takes; then comments,
which on other people's posts need 50; then state changes.
"""

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from wagtail.models import Locale

from accounts.models import User
from forum import actions, demo
from forum.errors import DomainError
from forum.models import Answer, CategoryPage, CommunityIndexPage, Question, QuestionState
from kb.demo import ensure_kb_articles, ensure_kb_index, ensure_kb_translations
from moderation.demo import ensure_flagged_posts

MODERATORS_GROUP = "Moderators"
# What the summary line counts, singular and plural.
COUNTED = {
    "community": ("community page", "community pages"),
    "members": ("member", "members"),
    "categories": ("category", "categories"),
    "questions": ("question", "questions"),
    "answers": ("answer", "answers"),
    "comments": ("comment", "comments"),
    "votes": ("vote", "votes"),
    "accepted": ("accepted answer", "accepted answers"),
    "closed": ("closed question", "closed questions"),
    "articles": ("knowledge-base article", "knowledge-base articles"),
    "translations": ("Indonesian or English translation", "Indonesian or English translations"),
    "flags": ("flag for the review queue", "flags for the review queue"),
}
ROLE_LABELS = {
    demo.STAFF: "staff (superuser)",
    demo.MODERATOR: "moderator",
    demo.MEMBER: "member",
}


@dataclass
class _Loaded:
    thread: demo.Thread
    question: Question
    answers: list[Answer] = field(default_factory=list)


class Command(BaseCommand):
    help = "Load the Nusantara Cloud demo community (safe to run again) and print its accounts."

    def handle(self, *args, **options):
        # A member posts several times in a few seconds here; the per-member rate limits
        # (which staff skip but members don't) would refuse that. Lift them for this
        # process only, while the load runs. Likewise the new-member spam defences
        # (docs/spam.md): the demo's members are new and their posts carry links.
        unlimited = {
            action: (1_000_000, window)
            for action, (_, window) in settings.TANYA_RATE_LIMITS.items()
        }
        loader = _Loader()
        with (
            _quiet(options["verbosity"] < 2, "wagtail", "django_tasks"),
            override_settings(
                TANYA_RATE_LIMITS=unlimited,
                TANYA_NEW_MEMBER_RATE_LIMITS={},
                TANYA_NEW_MEMBER_REPUTATION=0,
                TANYA_DUPLICATE_WINDOW=0,
            ),
            transaction.atomic(),
        ):
            loader.load()

        created = +loader.created  # without the steps that added nothing
        if created:
            parts = [
                f"{created[key]} {names[created[key] != 1]}"
                for key, names in COUNTED.items()
                if created[key]
            ]
            self.stdout.write(self.style.SUCCESS(f"Loaded the demo community: {', '.join(parts)}."))
        else:
            self.stdout.write("The demo community is already loaded; nothing to add.")
        self._print_accounts()

    def _print_accounts(self) -> None:
        rows = [("username", "role", "password")]
        rows += [(m.username, ROLE_LABELS[m.role], m.password) for m in demo.MEMBERS]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(f"{demo.COMMUNITY_TITLE}: demo accounts (for local use only)")
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            line = line.rstrip()
            self.stdout.write(self.style.MIGRATE_HEADING(line) if n == 0 else line)
        self.stdout.write("")
        self.stdout.write(
            "Members sign in at /accounts/login/. The staff account can also use the Wagtail "
            "admin (/admin/) and the Django admin (/django-admin/); the moderator can use the "
            "Community menu of /admin/."
        )


@contextmanager
def _quiet(enabled: bool, *names: str) -> Iterator[None]:
    """Hold back the INFO lines Wagtail and django-tasks log for every page and task."""
    loggers = [logging.getLogger(name) for name in names] if enabled else []
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class _Loader:
    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.roles = {m.username: m.role for m in demo.MEMBERS}
        self.staff_username = next(m.username for m in demo.MEMBERS if m.role == demo.STAFF)

    def load(self) -> None:
        self._members()
        staff = self._user(self.staff_username)
        index = self._community(staff)
        categories = self._categories(index, staff)
        self._translations(index, categories, staff)
        ensure_kb_index()
        # The Indonesian knowledge base before the promotions, so an Indonesian thread's
        # article is filed there (kb.actions.promote_question); the articles' translations after.
        self.created["translations"] += ensure_kb_translations(staff)
        threads = [t for t in demo.THREADS if not Question.objects.filter(title=t.title).exists()]
        loaded = [self._ask(thread, categories) for thread in threads]
        for item in loaded:
            self._answer(item)
        for item in loaded:
            self._accept(item)
        self._vote(loaded)
        for item in loaded:
            self._comment(item)
        for item in loaded:
            self._close(item)
        if published := ensure_kb_articles(staff):
            self.created["articles"] += published
        self.created["translations"] += ensure_kb_translations(staff)
        moderator = next(m.username for m in demo.MEMBERS if m.role == demo.MODERATOR)
        members = [
            self._user(m.username)
            for m in demo.MEMBERS
            if m.role not in (demo.STAFF, demo.MODERATOR)
        ]
        if flagged := ensure_flagged_posts(self._user(moderator), members):
            self.created["flags"] += flagged

    # --- Members and pages --------------------------------------------------------------

    def _members(self) -> None:
        moderators = Group.objects.get(name=MODERATORS_GROUP)
        for member in demo.MEMBERS:
            if User.objects.filter(username=member.username).exists():
                continue
            user = User.objects.create_user(
                username=member.username,
                email=f"{member.username}@example.com",
                password=member.password,
                display_name=member.display_name,
                is_staff=member.role == demo.STAFF,
                is_superuser=member.role == demo.STAFF,
            )
            if member.role == demo.MODERATOR:
                user.groups.add(moderators)
            # Verified, so the demo accounts can sign in even where verification is mandatory.
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
            self.created["members"] += 1

    def _community(self, staff: User) -> CommunityIndexPage:
        index = CommunityIndexPage.objects.filter(
            locale__language_code=settings.LANGUAGE_CODE
        ).first()
        if index is None:
            raise CommandError("There is no community index page; run `manage.py migrate` first.")
        if index.title != demo.COMMUNITY_TITLE or index.intro != demo.COMMUNITY_INTRO:
            index.title, index.intro = demo.COMMUNITY_TITLE, demo.COMMUNITY_INTRO
            index.save_revision(user=staff).publish(user=staff)
            self.created["community"] += 1
        return index

    def _categories(self, index: CommunityIndexPage, staff: User) -> dict[str, CategoryPage]:
        pages = {}
        for spec in demo.CATEGORIES:
            page = CategoryPage.objects.child_of(index).filter(slug=spec.slug).first()
            if page is None:
                page = CategoryPage(
                    title=spec.title,
                    slug=spec.slug,
                    intro=spec.intro,
                    icon=spec.icon,
                    icon_name=spec.icon_name,
                    colour=spec.colour,
                )
                # Re-read the parent each time: treebeard computes the new child's path from
                # the parent's child count, which the previous add_child changed.
                CommunityIndexPage.objects.get(pk=index.pk).add_child(instance=page)
                page.save_revision(user=staff).publish(user=staff)
                self.created["categories"] += 1
            elif spec.icon_name and not page.icon_name:
                # A demo loaded before categories had icons gets them now.
                page.icon_name = spec.icon_name
                page.save_revision(user=staff).publish(user=staff)
            pages[spec.slug] = page
        return pages

    def _translations(
        self, index: CommunityIndexPage, categories: dict[str, CategoryPage], staff: User
    ) -> None:
        """The home page's and the categories' Indonesian translations (Wagtail's: same
        translation_key, locale "id", under /id/), created if missing (docs/i18n.md)."""
        indonesian = Locale.objects.get(language_code="id")
        specs = [(index, demo.COMMUNITY_TITLE_ID, "", {"intro": demo.COMMUNITY_INTRO_ID})]
        specs += [
            (categories[slug], title, slug_id, {"intro": intro})
            for slug, (slug_id, title, intro) in demo.CATEGORIES_ID.items()
            if slug in categories
        ]
        for page, title, slug, fields in specs:
            if (
                type(page)
                .objects.filter(translation_key=page.translation_key, locale=indonesian)
                .exists()
            ):
                continue
            copy = page.copy_for_translation(indonesian, copy_parents=True)
            copy.title, copy.slug = title, slug or copy.slug
            for name, value in fields.items():
                setattr(copy, name, value)
            copy.save_revision(user=staff).publish(user=staff)
            self.created["translations"] += 1

    # --- Posts, through forum.actions ---------------------------------------------------

    def _user(self, username: str) -> User:
        # Always fresh: the actions check privileges against the reputation on the instance
        # they're given, and earlier steps have moved it in the database.
        return User.objects.get(username=username)

    def _do(self, step: str, action, *args, **kwargs):
        try:
            return action(*args, **kwargs)
        except DomainError as error:
            raise CommandError(f"Demo step failed ({step}): {error.message}") from error

    def _ask(self, thread: demo.Thread, categories: dict[str, CategoryPage]) -> _Loaded:
        question = self._do(
            f"{thread.asker} asks “{thread.title}”",
            actions.ask_question,
            self._user(thread.asker),
            title=thread.title,
            body=thread.body,
            category=categories[thread.category],
            tags=thread.tags,
        )
        self.created["questions"] += 1
        return _Loaded(thread, question)

    def _answer(self, item: _Loaded) -> None:
        for reply in item.thread.answers:
            answer = self._do(
                f"{reply.author} answers “{item.thread.title}”",
                actions.post_answer,
                self._user(reply.author),
                item.question,
                body=reply.body,
            )
            item.answers.append(answer)
            self.created["answers"] += 1

    def _accept(self, item: _Loaded) -> None:
        thread = item.thread
        if thread.accepted is not None:
            position, by = thread.accepted
            self._do(
                f"{by} accepts an answer to “{thread.title}”",
                actions.accept_answer,
                self._user(by),
                item.question,
                item.answers[position],
            )
            self.created["accepted"] += 1
        if thread.verified_by:
            self._do(
                f"{thread.verified_by} verifies the solution of “{thread.title}”",
                actions.verify_answer,
                self._user(thread.verified_by),
                item.question,
            )

    def _vote(self, loaded: list[_Loaded]) -> None:
        ballots = []
        for item in loaded:
            ballots += [(vote, item.question) for vote in item.thread.votes]
            for reply, answer in zip(item.thread.answers, item.answers, strict=True):
                ballots += [(vote, answer) for vote in reply.votes]
        # Staff and moderators first: they vote without reputation, and their upvotes are
        # what lets the members' own votes through.
        ballots.sort(key=lambda ballot: self.roles[ballot[0].lstrip("-")] == demo.MEMBER)
        for vote, post in ballots:
            username = vote.lstrip("-")
            value = -1 if vote.startswith("-") else 1
            self._do(
                f"{username} votes {value:+d} on “{post}”",
                actions.cast_vote,
                self._user(username),
                post,
                value,
            )
            self.created["votes"] += 1

    def _comment(self, item: _Loaded) -> None:
        posts = [(item.question, item.thread.comments)]
        posts += [
            (answer, reply.comments)
            for reply, answer in zip(item.thread.answers, item.answers, strict=True)
        ]
        for post, comments in posts:
            for author, body in comments:
                self._do(
                    f"{author} comments on “{post}”",
                    actions.post_comment,
                    self._user(author),
                    post,
                    body=body,
                )
                self.created["comments"] += 1

    def _close(self, item: _Loaded) -> None:
        if item.thread.closed_by:
            self._do(
                f"{item.thread.closed_by} closes “{item.thread.title}”",
                actions.set_question_state,
                self._user(item.thread.closed_by),
                item.question,
                QuestionState.CLOSED,
            )
            self.created["closed"] += 1
