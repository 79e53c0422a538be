"""Images on questions and answers: stored with the post, described, removed, and purged
with the post (docs/attachments.md).

Decoding and re-encoding (forum/attachments.py) happen before any transaction: it takes
a while, and on SQLite a transaction holds the write lock from its start. The files are
then stored, and the rows written in the post's transaction; if that transaction fails,
the files are deleted again (`stored_for`), so a refused post leaves nothing behind. Files
of rows deleted later go after commit, so a rolled-back removal keeps them.
"""

import secrets
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from accounts.models import User
from core import events
from core.ratelimit import check_rate
from forum import permissions
from forum import verbs as v
from forum.actions.shared import Post, lock_answer, lock_question, refuse, require_member
from forum.attachments import CleanImage, check_count, clean_image
from forum.models import ALT_MAX, Answer, Attachment, Question

PREFIX = "attachments"


@dataclass(frozen=True)
class Stored:
    image: CleanImage
    file: str
    thumbnail: str


def clean_alt(alt: str | None) -> str:
    """An image's description: one line, at most ALT_MAX characters; empty means the
    default, "Screenshot N"."""
    return " ".join((alt or "").split())[:ALT_MAX]


def _cleaned(images: Iterable) -> list[CleanImage]:
    return [i if isinstance(i, CleanImage) else clean_image(i) for i in images]


def _store(images: list[CleanImage]) -> list[Stored]:
    stored: list[Stored] = []
    try:
        for image in images:
            token = secrets.token_urlsafe(18)
            file = default_storage.save(
                f"{PREFIX}/{token}.{image.extension}", ContentFile(image.content)
            )
            thumb = default_storage.save(
                f"{PREFIX}/{token}-thumb.{image.extension}", ContentFile(image.thumbnail)
            )
            stored.append(Stored(image, file, thumb))
    except BaseException:
        _discard(stored)
        raise
    return stored


def _discard(stored: Iterable[Stored]) -> None:
    for item in stored:
        _delete_files([item.file, item.thumbnail])


def _delete_files(names: Iterable[str]) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


@contextmanager
def stored_for(actor: User, images: Iterable) -> Iterator[list[Stored]]:
    """Clean, count against the upload rate and store `images` for a post being written;
    if the write fails, the stored files are deleted again. Yields [] for no images."""
    images = _cleaned(images)
    if not images:
        yield []
        return
    require_member(actor)
    check_count(len(images))
    for _image in images:
        check_rate(actor, "upload")
    stored = _store(images)
    try:
        yield stored
    except BaseException:
        _discard(stored)
        raise


def attach_stored(
    actor: User, post: Post, stored: list[Stored], alts: Iterable[str] = (), *, start: int = 1
) -> list[Attachment]:
    """Rows for files `stored_for` stored, on `post`, numbered from `start`; in the caller's
    transaction (the caller records the event)."""
    alts = list(alts)
    rows = [
        Attachment(
            question=post if isinstance(post, Question) else None,
            answer=post if isinstance(post, Answer) else None,
            uploader=actor,
            position=start + index,
            alt=clean_alt(alts[index] if index < len(alts) else ""),
            file=item.file,
            thumbnail=item.thumbnail,
            content_type=item.image.content_type,
            size=len(item.image.content),
            width=item.image.width,
            height=item.image.height,
            thumb_width=item.image.thumb_width,
            thumb_height=item.image.thumb_height,
        )
        for index, item in enumerate(stored)
    ]
    return Attachment.objects.bulk_create(rows)


def _of(post: Post):
    if isinstance(post, Question):
        return Attachment.objects.filter(question=post)
    return Attachment.objects.filter(answer=post)


def _kind(post: Post) -> str:
    return "question" if isinstance(post, Question) else "answer"


def _locked(post: Post) -> Post:
    if isinstance(post, Question):
        return lock_question(post.pk)
    question = lock_question(post.question_id)
    answer = lock_answer(post.pk)
    answer.question = question
    return answer


def update_attachments(
    actor: User,
    post: Post,
    *,
    images: Iterable = (),
    alts: Iterable[str] = (),
    descriptions: Mapping[int, str] | None = None,
    remove: Iterable[int] = (),
) -> Post:
    """Whoever may edit the post adds images to it (`images`, described by `alts` in the
    same order), changes the descriptions of its images (`descriptions`, by attachment id)
    or removes some (`remove`, ids); records `post.attachments_changed`. The images are
    numbered again in order afterwards. Changing nothing is a no-op."""
    require_member(actor)
    refuse(permissions.edit_post_refusal(actor, post))
    images = _cleaned(images)
    descriptions = {int(k): clean_alt(text) for k, text in (descriptions or {}).items()}
    remove = {int(pk) for pk in remove}
    current = list(_of(post).order_by("position", "pk"))
    kept = [a for a in current if a.pk not in remove]
    check_count(len(kept) + len(images))
    with stored_for(actor, images) as stored, transaction.atomic():
        post = _locked(post)
        refuse(permissions.edit_post_refusal(actor, post))
        current = list(_of(post).select_for_update().order_by("position", "pk"))
        removed = [a for a in current if a.pk in remove]
        kept = [a for a in current if a.pk not in remove]
        check_count(len(kept) + len(stored))
        described = 0
        for position, attachment in enumerate(kept, start=1):
            alt = descriptions.get(attachment.pk, attachment.alt)
            if alt != attachment.alt:
                described += 1
            if (alt, position) != (attachment.alt, attachment.position):
                attachment.alt, attachment.position = alt, position
                attachment.save(update_fields=["alt", "position"])
        if not (removed or stored or described):
            return post
        _of(post).filter(pk__in=[a.pk for a in removed]).delete()
        attach_stored(actor, post, stored, alts, start=len(kept) + 1)
        question = post if isinstance(post, Question) else post.question
        events.record(
            actor,
            v.POST_ATTACHMENTS_CHANGED,
            post,
            question=question,
            payload={
                "kind": _kind(post),
                "added": len(stored),
                "removed": len(removed),
                "described": described,
            },
        )
        names = [name for a in removed for name in (a.file, a.thumbnail)]
        transaction.on_commit(partial(_delete_files, names))
    return post


def purge_attachments(kind: str, post_id: int) -> int:
    """Delete the images of a deleted or removed post, files and rows; how many went.

    Called by forum/subscribers.py in the worker after `post.deleted` or `post.removed`.
    Idempotent: deleting a missing file is a no-op in Django's storages, so a second run
    (or a run after a crash between the files and the rows) finishes the job. Restoring
    the post later brings back its text, not its images.
    """
    rows = Attachment.objects.filter(**{f"{kind}_id": post_id})
    attachments = list(rows)
    _delete_files(name for a in attachments for name in (a.file, a.thumbnail))
    rows.filter(pk__in=[a.pk for a in attachments]).delete()
    return len(attachments)


def purge_orphan_images(older_than: datetime) -> int:
    """Delete the files under attachments/ that no Attachment names and that were stored
    before `older_than`; how many went. For the forum.purge_orphan_images job."""
    try:
        _dirs, names = default_storage.listdir(PREFIX)
    except FileNotFoundError:
        return 0
    deleted = 0
    for start in range(0, len(names), 500):
        batch = [f"{PREFIX}/{name}" for name in names[start : start + 500]]
        known = set(Attachment.objects.filter(file__in=batch).values_list("file", flat=True))
        known |= set(
            Attachment.objects.filter(thumbnail__in=batch).values_list("thumbnail", flat=True)
        )
        for name in batch:
            if name in known or default_storage.get_modified_time(name) >= older_than:
                continue
            default_storage.delete(name)
            deleted += 1
    return deleted
