"""Who reads the staff reports: staff only (they show every category's figures and the
searches people made)."""

from accounts.permissions import is_member


def can_read_reports(user) -> bool:
    return is_member(user) and user.is_staff
