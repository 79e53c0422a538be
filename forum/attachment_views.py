"""The images of posts: serving them to those who may see the post, and the edit page's
form that describes, removes and adds them (docs/attachments.md).

An image is served only through here, never from MEDIA_URL: the view asks
forum.permissions.can_see_post of its post, so a private, held, hidden or deleted post's
images are a 404 for everyone who can't see the post, exactly as the post is.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import media, web
from forum import actions, permissions
from forum.errors import NotAllowed
from forum.forms import AttachmentsForm
from forum.models import Answer, Attachment, Question
from forum.views import edit_page, member_required


def _visible_attachment(request: HttpRequest, attachment_id: int, filename: str) -> Attachment:
    attachment = get_object_or_404(
        Attachment.objects.select_related("question", "answer__question"), pk=attachment_id
    )
    post = attachment.question or attachment.answer
    if filename != attachment.filename or not permissions.can_see_post(request.user, post):
        raise Http404
    attachment.post = post
    return attachment


def _serve(request: HttpRequest, attachment: Attachment, name: str) -> HttpResponse:
    return media.file_response(
        request,
        name,
        content_type=attachment.content_type,
        filename=attachment.filename,
        public=permissions.can_see_post(None, attachment.post),
    )


@require_GET
def attachment_file(request: HttpRequest, attachment_id: int, filename: str) -> HttpResponse:
    attachment = _visible_attachment(request, attachment_id, filename)
    return _serve(request, attachment, attachment.file)


@require_GET
def attachment_thumbnail(request: HttpRequest, attachment_id: int, filename: str) -> HttpResponse:
    attachment = _visible_attachment(request, attachment_id, filename)
    return _serve(request, attachment, attachment.thumbnail)


def _post(kind: str, post_id: int) -> Question | Answer:
    if kind == "question":
        return get_object_or_404(Question, pk=post_id)
    return get_object_or_404(Answer.objects.select_related("question"), pk=post_id)


@require_POST
@member_required
def update_attachments_view(request: HttpRequest, kind: str, post_id: int) -> HttpResponse:
    """The edit page's "Images" form: one call to actions.update_attachments. A refusal
    re-renders the edit page with the error on this form (400, or 429 with Retry-After)."""
    post = _post(kind, post_id)
    if not permissions.can_see_post(request.user, post):
        raise Http404
    if isinstance(permissions.edit_post_refusal(request.user, post), NotAllowed):
        raise PermissionDenied  # as the edit page itself: a stranger never gets the form
    form = AttachmentsForm(request.POST, request.FILES, attachments=post.attachments.all())
    if form.is_valid() and web.submit(
        form, actions.update_attachments, request.user, post, **form.action_arguments()
    ):
        messages.success(request, _("The images are saved."))
        return redirect(reverse(f"forum:edit_{kind}", args=[post_id]))
    template, context = edit_page(post)
    context["attachments_form"] = form
    return web.render_form(request, template, context, form=form)
