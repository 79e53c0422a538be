"""The "Community" menu of the Wagtail admin: questions and answers, for staff and moderators.

Posts are edited, soft-deleted and restored here through forum.actions (see
forum/admin_views.py); they are never added here, since members ask on the site.
Categories are Wagtail pages and are managed in the page explorer.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, NumberColumn, StatusFlagColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from forum.admin_views import (
    AnswerAdminForm,
    AnswerEditView,
    AnswerFilterSet,
    PostIndexView,
    PostPermissionPolicy,
    QuestionAdminForm,
    QuestionEditView,
    QuestionFilterSet,
    RestoreBulkAction,
    ScopeCreateView,
    ScopeDeleteView,
    ScopeEditView,
    SoftDeleteBulkAction,
    SoftDeleteView,
    answer_accepted_label,
    answer_excerpt,
    solved_label,
)
from forum.models import Answer, CategoryModerator, Question

# Registered before anything asks Wagtail for these models' policy (it would otherwise
# create and cache the default one, which lets superusers add and hard-delete).
register_permission_policy(Question, PostPermissionPolicy(Question))
register_permission_policy(Answer, PostPermissionPolicy(Answer))


def _deleted_column() -> StatusFlagColumn:
    return StatusFlagColumn(
        "is_deleted", label=_("Deleted"), true_label=_("Deleted"), sort_key="visibility"
    )


class _PostViewSet(SnippetViewSet):
    index_view_class = PostIndexView
    delete_view_class = SoftDeleteView
    copy_view_enabled = False
    # Posts aren't referenced by pages or other snippets; skip the reference index rows
    # Wagtail would otherwise write on every save.
    add_to_reference_index = False
    list_per_page = 30
    ordering = "-created_at"


class QuestionViewSet(_PostViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    edit_view_class = QuestionEditView
    filterset_class = QuestionFilterSet
    list_display = [
        "title",
        Column(
            "category", label=_("Category"), accessor="category.title", sort_key="category__title"
        ),
        Column("author", label=_("Author"), accessor="author.name"),
        NumberColumn("score", label=_("Score"), sort_key="score"),
        NumberColumn("answer_count", label=_("Answers"), sort_key="answer_count"),
        Column("solved", label=_("Solved"), accessor=solved_label),
        Column("state", label=_("State"), accessor="get_state_display", sort_key="state"),
        _deleted_column(),
        DateColumn("created_at", label=_("Asked"), sort_key="created_at"),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("body"),
            FieldPanel("tags"),
            FieldPanel("category"),
            FieldPanel("state"),
            FieldPanel("summary"),
        ],
        base_form_class=QuestionAdminForm,
    )

    def get_queryset(self, request):
        return Question.objects.select_related("category", "author")


class AnswerViewSet(_PostViewSet):
    model = Answer
    icon = "comment"
    menu_label = _("Answers")
    edit_view_class = AnswerEditView
    filterset_class = AnswerFilterSet
    list_display = [
        "__str__",
        Column("excerpt", label=_("Answer"), accessor=answer_excerpt),
        Column("category", label=_("Category"), accessor="question.category.title"),
        Column("author", label=_("Author"), accessor="author.name"),
        NumberColumn("score", label=_("Score"), sort_key="score"),
        Column("accepted", label=_("Accepted"), accessor=answer_accepted_label),
        _deleted_column(),
        DateColumn("created_at", label=_("Answered"), sort_key="created_at"),
    ]
    edit_handler = ObjectList(
        [FieldPanel("body"), FieldPanel("summary")], base_form_class=AnswerAdminForm
    )

    def get_queryset(self, request):
        return Answer.objects.select_related("question__category", "author")


class CategoryModeratorViewSet(SnippetViewSet):
    """Staff scope a moderator to categories (forum.permissions.moderates): a moderator
    with any row here moderates only those categories. Adding, changing and deleting a
    row go through forum/actions/scopes.py, so each is in the audit log with the
    moderator's categories before and after (docs/moderation-actions.md)."""

    model = CategoryModerator
    add_view_class = ScopeCreateView
    edit_view_class = ScopeEditView
    delete_view_class = ScopeDeleteView
    icon = "lock"
    menu_label = _("Moderator scopes")
    add_to_reference_index = False
    copy_view_enabled = False
    list_display = [
        Column("user", label=_("Moderator"), accessor="user.username"),
        Column("category", label=_("Category"), accessor="category.title"),
    ]
    panels = [FieldPanel("user"), FieldPanel("category")]

    def get_queryset(self, request):
        return CategoryModerator.objects.select_related("user", "category")


class CommunityViewSetGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, AnswerViewSet, CategoryModeratorViewSet)
    menu_label = _("Community")
    menu_icon = "group"
    menu_order = 150


register_snippet(CommunityViewSetGroup)


# order=100: registered after Wagtail's own snippet bulk delete, so for questions and
# answers "delete" resolves to the soft delete instead of a hard one.
hooks.register("register_bulk_action", SoftDeleteBulkAction, order=100)
hooks.register("register_bulk_action", RestoreBulkAction, order=100)


@hooks.register("register_log_actions")
def register_forum_log_actions(actions):
    actions.register_action("forum.delete", _("Delete (soft)"), _("Deleted; can be restored"))
    actions.register_action("forum.restore", _("Restore"), _("Restored"))
