"""Scoping moderators to categories (forum.CategoryModerator; docs/moderation-actions.md,
"Who moderates"). Staff do it in the Wagtail admin (Community → Moderator scopes), whose
create, edit and delete views call these functions.

Each records `moderator.scopes_changed` on the moderator whose scopes changed, with the
ids of their categories before and after (an empty list: moderates everywhere).
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import events
from forum import permissions
from forum import verbs as v
from forum.actions.shared import lock_users, refuse
from forum.errors import InvalidInput
from forum.models import CategoryModerator, CategoryPage


def _categories(user_id: int) -> list[int]:
    return sorted(
        CategoryModerator.objects.filter(user_id=user_id).values_list("category_id", flat=True)
    )


def _record(actor: User, user_id: int, before: list[int], **payload) -> None:
    moderator = User.objects.get(pk=user_id)
    events.record(
        actor,
        v.MODERATOR_SCOPES_CHANGED,
        moderator,
        payload={
            "before": {"categories": before},
            "after": {"categories": _categories(user_id)},
            **payload,
        },
    )


def _forget_cached_scopes(*users) -> None:
    for user in users:
        if isinstance(user, User):
            user.__dict__.pop(permissions.SCOPE_CACHE, None)


@transaction.atomic
def scope_moderator(actor: User, moderator: User, category: CategoryPage) -> CategoryModerator:
    """Staff scope `moderator` to `category` (their first scope makes them moderate only
    there). Scoping again is a no-op. Records `moderator.scopes_changed`."""
    refuse(permissions.scope_moderators_refusal(actor))
    lock_users([moderator.pk])
    existing = CategoryModerator.objects.filter(user=moderator, category=category).first()
    if existing is not None:
        return existing
    before = _categories(moderator.pk)
    row = CategoryModerator.objects.create(user=moderator, category=category)
    _record(actor, moderator.pk, before, category=category.pk)
    _forget_cached_scopes(moderator)
    return row


@transaction.atomic
def change_moderator_scope(
    actor: User, scope: CategoryModerator, *, moderator: User, category: CategoryPage
) -> CategoryModerator:
    """Staff change one scope row's moderator or category. Records
    `moderator.scopes_changed` on the moderator it now names (with the former one's id
    when that changed); no change is a no-op."""
    refuse(permissions.scope_moderators_refusal(actor))
    row = CategoryModerator.objects.select_for_update().get(pk=scope.pk)
    former = row.user_id
    lock_users([former, moderator.pk])
    if (row.user_id, row.category_id) == (moderator.pk, category.pk):
        return row
    before = _categories(moderator.pk)
    row.user, row.category = moderator, category
    try:
        with transaction.atomic():
            row.save(update_fields=["user", "category"])
    except IntegrityError as error:
        raise InvalidInput(
            _("This moderator is already scoped to that category."), field="category"
        ) from error
    extra = {"category": category.pk}
    if former != moderator.pk:
        extra["former_moderator"] = former
        extra["former_moderator_categories"] = _categories(former)
    _record(actor, moderator.pk, before, **extra)
    _forget_cached_scopes(moderator)
    return row


@transaction.atomic
def unscope_moderator(actor: User, scope: CategoryModerator) -> None:
    """Staff remove one scope (a moderator left with none moderates everywhere again).
    Removing a removed scope is a no-op. Records `moderator.scopes_changed`."""
    refuse(permissions.scope_moderators_refusal(actor))
    row = CategoryModerator.objects.select_for_update().filter(pk=scope.pk).first()
    if row is None:
        return
    lock_users([row.user_id])
    before = _categories(row.user_id)
    category = row.category_id
    row.delete()
    _record(actor, row.user_id, before, category=category)
