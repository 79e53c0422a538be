"""Wagtail admin views for questions and answers (registered in wagtail_hooks.py).

The admin is another caller of forum.actions, like the site and the API: saving an edit
form calls `actions.edit_question` / `edit_answer` / `set_question_state`, deleting calls
the soft delete, and restoring calls `restore_question` / `restore_answer`. A refused
action becomes a form error or an error message, and the transaction around it leaves
nothing half-saved. Nothing here writes a post row itself.
"""

from urllib.parse import urlencode

import django_filters
from django import forms
from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.widgets import BooleanRadioSelect, Button
from wagtail.log_actions import log
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.search.backends import get_search_backend
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.views import snippets as snippet_views

from forum import actions, permissions
from forum.errors import DomainError
from forum.models import Answer, CategoryPage, Question, QuestionState, Visibility

# How many search hits the listings consider before their filters and ordering apply.
SEARCH_LIMIT = 500
POPULAR_TAGS = 20

Post = Question | Answer


# --- Permissions ------------------------------------------------------------------------


class PostPermissionPolicy(ModelPermissionPolicy):
    """Who may do what to questions and answers in the Wagtail admin.

    Nobody adds a post here: members ask and answer on the site. "delete" is the soft
    delete in forum.actions and "restore" its undo; both are moderators' work, so they
    need the change permission plus the moderator check. Django's own delete permission
    (a hard delete) is never consulted, and the Moderators group doesn't have it.
    """

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        if action in ("delete", "restore"):
            return super().user_has_permission(user, "change") and permissions.is_moderator(user)
        return super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and instance.is_deleted:
            return False
        if action == "restore" and not instance.is_deleted:
            return False
        return self.user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        codenames = {"change" if a in ("delete", "restore") else a for a in actions} - {"add"}
        if not codenames:
            return get_user_model().objects.none()
        return super().users_with_any_permission(sorted(codenames))


def restore_url(post: Post, next_url: str) -> str:
    """The confirmation page of the "restore" bulk action, for one post."""
    opts = post._meta
    url = reverse("wagtail_bulk_action", args=(opts.app_label, opts.model_name, "restore"))
    return f"{url}?{urlencode({'id': post.pk, 'next': next_url})}"


# --- Forms ------------------------------------------------------------------------------


class QuestionAdminForm(WagtailAdminModelForm):
    """Validates the input only; the edit view hands the cleaned data to forum.actions."""

    category = forms.ModelChoiceField(
        label=_("Category"), queryset=CategoryPage.objects.none(), empty_label=None
    )
    summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=200,
        help_text=_("Shown in the question's revision history."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Published categories, plus the current one even if it was unpublished since, so
        # fixing a typo doesn't force a move.
        current = Q(pk=self.instance.category_id) if self.instance.category_id else Q()
        self.fields["category"].queryset = CategoryPage.objects.filter(
            Q(live=True) | current
        ).order_by("title")


class AnswerAdminForm(WagtailAdminModelForm):
    summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=200,
        help_text=_("Shown in the answer's revision history."),
    )


# --- Filters ----------------------------------------------------------------------------


def _filter_not_null(field: str):
    def method(queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(**{f"{field}__isnull": not value})

    return method


def _filter_deleted(queryset, name, value):
    if value is None:
        return queryset
    deleted = Q(visibility=Visibility.DELETED)
    return queryset.filter(deleted if value else ~deleted)


def _visibility_filter() -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        label=_("Visibility"),
        choices=Visibility.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )


class QuestionFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"), queryset=CategoryPage.objects.order_by("title")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=QuestionState.choices,
        empty_label=_("All"),
        widget=forms.RadioSelect,
    )
    solved = django_filters.BooleanFilter(
        label=_("Solved"), method=_filter_not_null("accepted_answer"), widget=BooleanRadioSelect
    )
    deleted = django_filters.BooleanFilter(
        label=_("Deleted"), method=_filter_deleted, widget=BooleanRadioSelect
    )
    visibility = _visibility_filter()
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Asked"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Question
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tags = (
            Tag.objects.annotate(uses=Count("forum_taggedquestion_items"))
            .filter(uses__gt=0)
            .order_by("-uses", "name")
            .values_list("name", flat=True)[:POPULAR_TAGS]
        )
        if tags:
            self.filters["tag"] = django_filters.MultipleChoiceFilter(
                label=_("Tag"),
                field_name="tags__name",
                choices=[(name, name) for name in tags],
                widget=forms.CheckboxSelectMultiple,
                distinct=True,
                help_text=_("The %(count)d most used tags.") % {"count": POPULAR_TAGS},
            )


class AnswerFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="question__category",
        queryset=CategoryPage.objects.order_by("title"),
    )
    accepted = django_filters.BooleanFilter(
        label=_("Accepted"), method=_filter_not_null("accepted_for"), widget=BooleanRadioSelect
    )
    deleted = django_filters.BooleanFilter(
        label=_("Deleted"), method=_filter_deleted, widget=BooleanRadioSelect
    )
    visibility = _visibility_filter()
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Answered"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Answer
        fields = []


# --- Listing columns --------------------------------------------------------------------


def solved_label(question: Question) -> str:
    if question.is_verified:
        return _("Verified")
    if question.is_solved:
        return _("Accepted")
    return ""


def answer_excerpt(answer: Answer) -> str:
    return Truncator(" ".join(answer.body.split())).chars(90)


def answer_accepted_label(answer: Answer) -> str:
    return _("Accepted") if answer.question.accepted_answer_id == answer.pk else ""


# --- Views ------------------------------------------------------------------------------


class PostIndexView(snippet_views.IndexView):
    """The listing, with search that also works together with every filter."""

    def search_queryset(self, queryset):
        # Wagtail's default passes the filtered queryset to the search backend, which
        # refuses filters on fields the model doesn't index (tags, solved, dates) and, for
        # questions, autocompletes the title only. Instead: whole words in the title and
        # body, plus title prefixes, searched over all posts; then the listing's own
        # filters and ordering apply to the hits, in SQL.
        if not self.is_searching:
            return queryset
        # modelsearch's SQLite backend wraps each word in FTS5 double quotes without
        # escaping the ones inside it, so a stray " is an SQL error; drop them.
        words = self.search_query.replace('"', " ")
        if not words.strip():
            return queryset.none()
        backend = get_search_backend(self.search_backend_name or "default")
        everything = self.model._default_manager.all()
        pks = {hit.pk for hit in backend.search(words, everything)[:SEARCH_LIMIT]}
        if self.model.get_autocomplete_search_fields():
            prefixes = backend.autocomplete(words, everything)[:SEARCH_LIMIT]
            pks |= {hit.pk for hit in prefixes}
        return queryset.filter(pk__in=pks)

    def get_restore_url(self, instance: Post) -> str | None:
        if self.permission_policy.user_has_permission_for_instance(
            self.request.user, "restore", instance
        ):
            return restore_url(instance, self.request.get_full_path())
        return None

    def get_list_more_buttons(self, instance: Post) -> list:
        buttons = [
            MenuItem(
                _("View on site"),
                url=instance.get_absolute_url(),
                icon_name="link-external",
                priority=5,
            )
        ]
        delete_url = self.get_delete_url(instance)
        for button in super().get_list_more_buttons(instance):
            if instance.is_deleted and button.url == delete_url:
                continue
            buttons.append(button)
        if restore := self.get_restore_url(instance):
            buttons.append(MenuItem(_("Restore"), url=restore, icon_name="rotate", priority=30))
        return buttons


class PostEditView(snippet_views.EditView):
    """Saving calls forum.actions (see `save_post`); a DomainError becomes a form error."""

    def save_post(self, actor, post: Post, form) -> Post:
        raise NotImplementedError

    def save_instance(self) -> Post:
        # self.object already carries the form's values (ModelForm validation copies them
        # onto the instance); the actions re-read the row, so only their writes count.
        post = self.save_post(self.request.user, self.object, self.form)
        log(
            instance=post,
            action="wagtail.edit",
            user=self.request.user,
            content_changed=self.form.has_changed(),
        )
        return post

    def form_valid(self, form):
        # The generic view runs save_instance() inside transaction.atomic(), so when an
        # action refuses, everything the save did so far is rolled back with it.
        try:
            return super().form_valid(form)
        except DomainError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.message))
            self.produced_error_code = error.code
            self.produced_error_message = self.get_error_message()
            # Show the saved post around the form again, not the refused values.
            self.object.refresh_from_db()
            return self.form_invalid(form)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.insert(
            0,
            Button(
                _("View on site"),
                url=self.object.get_absolute_url(),
                icon_name="link-external",
                priority=5,
            ),
        )
        if self.permission_policy.user_has_permission_for_instance(
            self.request.user, "restore", self.object
        ):
            buttons.append(
                Button(
                    _("Restore"),
                    url=restore_url(self.object, self.get_edit_url()),
                    icon_name="rotate",
                    priority=20,
                )
            )
        return buttons


class QuestionEditView(PostEditView):
    def save_post(self, actor, question: Question, form) -> Question:
        data = form.cleaned_data
        # Pass the category only when it changes: edit_question accepts only published
        # categories, and a question may sit in one that was unpublished since.
        category = data["category"] if "category" in form.changed_data else None
        question = actions.edit_question(
            actor,
            question,
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            category=category,
            summary=data["summary"] or str(_("Edited in the admin")),
        )
        return actions.set_question_state(actor, question, data["state"])


class AnswerEditView(PostEditView):
    def save_post(self, actor, answer: Answer, form) -> Answer:
        data = form.cleaned_data
        return actions.edit_answer(
            actor,
            answer,
            body=data["body"],
            summary=data["summary"] or str(_("Edited in the admin")),
        )


def soft_delete(actor, post: Post) -> Post:
    if isinstance(post, Question):
        return actions.delete_question(actor, post)
    return actions.delete_answer(actor, post)


def restore(actor, post: Post) -> Post:
    if isinstance(post, Question):
        return actions.restore_question(actor, post)
    return actions.restore_answer(actor, post)


class SoftDeleteView(snippet_views.DeleteView):
    """Delete is the site's soft delete: the post is hidden and its reputation reversed."""

    success_message = _("%(model_name)s '%(object)s' deleted. A moderator can restore it.")

    def get_usage_url(self):
        return None  # nothing is removed, so there is no usage to warn about

    # Wagtail's before/after_delete_snippet hooks announce a real deletion; this isn't one.
    def run_before_hook(self):
        return None

    def run_after_hook(self):
        return None

    @property
    def confirmation_message(self):
        return _(
            "Delete this %(model_name)s? It disappears from the site and the reputation it "
            "earned is taken back. A moderator can restore it later."
        ) % {"model_name": self.object._meta.verbose_name}

    def form_valid(self, form):
        success_url = self.get_success_url()
        already_deleted = self.object.is_deleted
        try:
            self.object = soft_delete(self.request.user, self.object)
        except DomainError as error:
            messages.error(self.request, str(error.message))
            return redirect(success_url)
        if not already_deleted:
            log(instance=self.object, action="forum.delete", user=self.request.user)
        messages.success(self.request, self.get_success_message())
        return redirect(success_url)


# --- Bulk actions -----------------------------------------------------------------------


class PostBulkAction(SnippetBulkAction):
    """Runs one forum action per selected post; a refused post is reported, not fatal."""

    template_name = "forum/admin/confirm_bulk_action.html"
    models = [Question, Answer]
    permission_action = ""
    log_action = ""
    confirmation_message = ""
    action_button_text = ""
    no_access_message = ""
    done_message = ""
    button_class = ""

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, self.permission_action, obj
        )

    def object_context(self, obj):
        return {
            "item": obj,
            "edit_url": reverse(obj.snippet_viewset.get_url_name("edit"), args=(quote(obj.pk),)),
        }

    @staticmethod
    def act(actor, post: Post) -> Post:
        raise NotImplementedError

    @classmethod
    def execute_action(cls, objects, **kwargs):
        request = kwargs["self"].request
        done = 0
        for post in objects:
            # Each action is atomic on its own (a savepoint here), so a refusal undoes
            # only that post.
            try:
                cls.act(request.user, post)
            except DomainError as error:
                messages.error(request, f"{post}: {error.message}")
                continue
            log(instance=post, action=cls.log_action, user=request.user)
            done += 1
        return done, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if not num_parent_objects:
            return None
        return self.done_message % {
            "count": num_parent_objects,
            "model_name": self.model._meta.verbose_name_plural,
        }


class SoftDeleteBulkAction(PostBulkAction):
    """Replaces Wagtail's snippet bulk delete (a hard delete) for questions and answers."""

    display_name = _("Delete")
    action_type = "delete"
    aria_label = _("Delete selected posts")
    action_priority = 30
    classes = {"serious"}
    button_class = "serious"
    permission_action = "delete"
    log_action = "forum.delete"
    confirmation_message = _(
        "These posts will disappear from the site and the reputation they earned is taken "
        "back. A moderator can restore them later."
    )
    action_button_text = _("Yes, delete")
    no_access_message = _("You can't delete these (already deleted, or not a moderator):")
    done_message = _("%(count)d %(model_name)s deleted.")
    act = staticmethod(soft_delete)


class RestoreBulkAction(PostBulkAction):
    display_name = _("Restore")
    action_type = "restore"
    aria_label = _("Restore selected posts")
    action_priority = 40
    permission_action = "restore"
    log_action = "forum.restore"
    confirmation_message = _(
        "These posts will be visible again and the reputation their deletion took back is returned."
    )
    action_button_text = _("Yes, restore")
    no_access_message = _("You can't restore these (not deleted, or not a moderator):")
    done_message = _("%(count)d %(model_name)s restored.")
    act = staticmethod(restore)


# --- Moderator scopes (forum/actions/scopes.py) -----------------------------------------


class _ScopeFormMixin:
    """Save through the scope action (it checks, records `moderator.scopes_changed`); a
    refusal is the form's error, not a 500."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return self.form_invalid(form)


class ScopeCreateView(_ScopeFormMixin, snippet_views.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.scope_moderator(self.request.user, data["user"], data["category"])

    def save_action(self):  # the action records the event; Wagtail's log would repeat it
        messages.success(self.request, self.get_success_message(self.object))
        return redirect(self.get_success_url())


class ScopeEditView(_ScopeFormMixin, snippet_views.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return actions.change_moderator_scope(
            self.request.user, self.object, moderator=data["user"], category=data["category"]
        )

    def save_action(self):
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())


class ScopeDeleteView(snippet_views.DeleteView):
    def delete_action(self):
        actions.unscope_moderator(self.request.user, self.object)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as error:
            messages.error(self.request, str(error.message))
            return redirect(self.get_success_url())
