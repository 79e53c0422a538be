import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.urlcache import reverse_one

BIO_MAX = 300
DELETED_USERNAME_PREFIX = "deleted-"


def language_choices() -> list[tuple[str, str]]:
    """The site's languages; a callable so a change to LANGUAGES needs no migration."""
    return list(settings.LANGUAGES)


def avatar_path(user: "User", filename: str) -> str:
    """A fresh random name per upload: the old URL stops working and caches can't go stale.

    The extension is the one `accounts.avatars` encoded, never the uploader's.
    """
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"avatars/{secrets.token_urlsafe(16)}.{extension}"


class User(AbstractUser):
    """A member. `reputation` is a cache of 1 + the sum of the member's ledger entries."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    reputation = models.IntegerField(_("reputation"), default=1, editable=False)
    bio = models.CharField(_("about me"), max_length=BIO_MAX, blank=True)
    avatar = models.ImageField(_("avatar"), upload_to=avatar_path, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=language_choices,
        blank=True,
        help_text=_("Blank: the language your browser asks for."),
    )

    # A suspension (accounts.actions.suspend_member): from `suspended_at` until
    # `suspended_until` (None: for good). It lifts itself when the date passes.
    suspended_at = models.DateTimeField(_("suspended"), null=True, blank=True, editable=False)
    suspended_until = models.DateTimeField(
        _("suspended until"), null=True, blank=True, editable=False
    )
    suspension_reason = models.CharField(
        _("suspension reason"), max_length=500, blank=True, editable=False
    )

    # The name the members directory sorts and searches by (forum/directories.py): the
    # shown name, lower-cased, kept by the database itself so no write can forget it.
    name_key = models.GeneratedField(
        expression=Lower(Coalesce(NullIf("display_name", models.Value("")), "username")),
        output_field=models.CharField(max_length=150),
        db_persist=True,
    )

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reputation__gte=1), name="user_reputation_at_least_one"
            ),
        ]
        # The members directory (forum/directories.py): one index per ordering, over the
        # members it lists (active ones), and one for prefix search by name. The pattern
        # operator class lets PostgreSQL answer `LIKE 'prefix%'` from the index whatever
        # the database's collation (SQLite ignores operator classes).
        indexes = [
            models.Index(
                fields=["-reputation", "-id"],
                name="member_by_reputation",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                fields=["-date_joined", "-id"],
                name="member_by_joined",
                condition=models.Q(is_active=True),
            ),
            models.Index(
                fields=["name_key", "id"], name="member_by_name", condition=models.Q(is_active=True)
            ),
            models.Index(
                fields=["name_key"],
                name="member_name_prefix",
                opclasses=["varchar_pattern_ops"],
                condition=models.Q(is_active=True),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.is_deleted:
            return str(_("deleted user"))  # stored in English, shown in the reader's language
        return self.display_name or self.username

    @property
    def is_moderator(self) -> bool:
        """Staff, superusers and members of the Moderators group (via the permission)."""
        return (
            self.is_active
            and not self.is_suspended
            and (self.is_staff or self._may_moderate_by_permission())
        )

    def _may_moderate_by_permission(self) -> bool:
        """`has_perm("forum.moderate_forum")`, remembered for as long as Django's own
        permission cache on this instance (`_perm_cache`, filled by the first `has_perm`)
        is the same object: Django answers from that cache anyway, but each call walks
        the authentication backends, instantiating each, and a member's 100-answer page
        asked about a thousand times (docs/performance.md, "A member's render")."""
        cache = self.__dict__.get("_perm_cache")
        memo = self.__dict__.get("_moderate_memo")
        if memo is not None and memo[0] is cache and memo[1] == self.is_superuser:
            return memo[2]
        allowed = self.has_perm("forum.moderate_forum")
        cache = self.__dict__.get("_perm_cache")
        if cache is not None:
            self.__dict__["_moderate_memo"] = (cache, self.is_superuser, allowed)
        return allowed

    @property
    def is_suspended(self) -> bool:
        """Suspended now: a suspension whose end, if it has one, is still ahead."""
        if self.suspended_at is None:
            return False
        return self.suspended_until is None or self.suspended_until > timezone.now()

    @property
    def is_deleted(self) -> bool:
        """Anonymised by `accounts.actions.delete_account`; their posts stay."""
        return self.username.startswith(DELETED_USERNAME_PREFIX) and not self.is_active

    def get_absolute_url(self) -> str:
        return reverse_one("accounts:profile", self.username)  # once per post on a thread


def reputation_floor() -> int:
    return settings.TANYA_REPUTATION["FLOOR"]
