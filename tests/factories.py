"""factory_boy factories: each builds the smallest valid object; tests state what they need."""

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from forum import counters
from forum.markdown import render_inline_markdown, render_markdown
from forum.models import Answer, CategoryPage, Comment, CommunityIndexPage, Question, Visibility


class PostFactory(factory.django.DjangoModelFactory):
    """Visibility for any post factory: `visibility=Visibility.HELD`, or the traits
    `held=True`, `hidden=True`, `deleted=True`. A post given only `deleted_at` is deleted,
    as delete_question and friends would leave it."""

    class Meta:
        abstract = True

    deleted_at = None
    visibility = factory.LazyAttribute(
        lambda post: Visibility.VISIBLE if post.deleted_at is None else Visibility.DELETED
    )

    class Params:
        held = factory.Trait(visibility=Visibility.HELD)
        hidden = factory.Trait(visibility=Visibility.HIDDEN)
        deleted = factory.Trait(
            visibility=Visibility.DELETED, deleted_at=factory.LazyFunction(timezone.now)
        )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")
    reputation = 1

    class Params:
        trusted = factory.Trait(reputation=5000)


class ModeratorFactory(UserFactory):
    class Meta:
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"moderator{n}")

    @factory.post_generation
    def moderators_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name="Moderators"))


class StaffFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}")
    is_staff = True


def community_index() -> CommunityIndexPage:
    return CommunityIndexPage.objects.get(locale__language_code="en")


class CategoryFactory(factory.Factory):
    """Category pages go through Wagtail's tree API (add_child), like the admin does."""

    class Meta:
        model = CategoryPage

    title = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        page = model_class(*args, **kwargs)
        community_index().add_child(instance=page)
        return page


class QuestionFactory(PostFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"How do I reset my router number {n}?")
    body = "I tried the button on the back and nothing happened."
    body_html = factory.LazyAttribute(lambda q: render_markdown(q.body))
    category = factory.SubFactory(CategoryFactory)
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def counted(self, create, extracted, **kwargs):
        # Keep the category's cached counts true, as ask_question would (forum/counters.py).
        if create:
            counters.settle(None, counters.standing(self))


class AnswerFactory(PostFactory):
    class Meta:
        model = Answer
        skip_postgeneration_save = True

    question = factory.SubFactory(QuestionFactory)
    body = "Hold the reset button for ten seconds until the light blinks."
    body_html = factory.LazyAttribute(lambda a: render_markdown(a.body))
    author = factory.SubFactory(UserFactory)

    @factory.post_generation
    def count(self, create, extracted, **kwargs):
        # Keep the question's cached counter true, as post_answer would.
        if create:
            Question.objects.filter(pk=self.question_id).update(
                answer_count=Answer.objects.filter(
                    question_id=self.question_id, visibility=Visibility.VISIBLE
                ).count()
            )


class CommentFactory(PostFactory):
    class Meta:
        model = Comment

    body = "Thanks, that *worked*."
    body_html = factory.LazyAttribute(lambda c: render_inline_markdown(c.body))
    author = factory.SubFactory(UserFactory)
