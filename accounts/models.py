from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member. `reputation` is a cache of 1 + the sum of the member's ledger entries."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    reputation = models.IntegerField(_("reputation"), default=1, editable=False)

    class Meta(AbstractUser.Meta):
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reputation__gte=1), name="user_reputation_at_least_one"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def is_moderator(self) -> bool:
        """Staff, superusers and members of the Moderators group (via the permission)."""
        return self.is_active and (self.is_staff or self.has_perm("forum.moderate_forum"))

    def get_absolute_url(self) -> str:
        return reverse("accounts:profile", args=[self.username])


def reputation_floor() -> int:
    return settings.TANYA_REPUTATION["FLOOR"]
