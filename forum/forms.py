"""Parse and validate what members type. Forms never save: views pass `cleaned_data` to
one function in forum/actions/.

The limits (title length, body length, tag rules) live in actions.py alone; each form's
clean method calls the same `actions.clean_*` function the write does, so a bad input is
a form error with the same words, never a 500.
"""

from collections.abc import Callable

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import HoneypotMixin
from forum import actions, queries
from forum.actions import (
    BODY_MAX,
    BODY_MIN,
    COMMENT_MAX,
    TAG_LENGTH_MAX,
    TAGS_MAX,
    TITLE_MAX,
    TITLE_MIN,
)
from forum.attachments import ACCEPTED_FORMATS, clean_images
from forum.attachments import limits as attachment_limits
from forum.errors import InvalidInput
from forum.models import ALT_MAX, CloseReason, QuestionState, Vote

SUMMARY_MAX = 200
# What the file chooser offers; the server decides by the decoded bytes, not by this.
ACCEPT = ",".join(f"image/{fmt.lower()}" for fmt in ACCEPTED_FORMATS)


def _using(rule: Callable, value):
    """Run one of actions' clean_* rules and turn its InvalidInput into a field error."""
    try:
        return rule(value)
    except InvalidInput as error:
        raise forms.ValidationError(str(error.message), code=error.code) from error


def _markdown_area(rows: int) -> forms.Textarea:
    return forms.Textarea(
        attrs={"rows": rows, "minlength": BODY_MIN, "maxlength": BODY_MAX, "class": "markdown"}
    )


# The ask form's visit: search's similar-question suggestions keep their visit token here
# (search/views.py), and asking passes it on in the `question.asked` event.
ASK_VISIT_SESSION_KEY = "search_deflection"


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.title


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class QuestionForm(HoneypotMixin, _Form):
    title = forms.CharField(
        label=_("Title"),
        help_text=_("Say what you need in one sentence, as if you were asking a colleague."),
        widget=forms.TextInput(
            attrs={"minlength": TITLE_MIN, "maxlength": TITLE_MAX, "autocomplete": "off"}
        ),
    )
    body = forms.CharField(
        label=_("Details"),
        help_text=_("What did you try, and what happened? Markdown is supported."),
        widget=_markdown_area(12),
    )
    # No category is preselected (a router question must not land in Billing because
    # Billing comes first): the asker chooses, unless they came from a category's
    # "Ask in this category" (?category=<id>, the view's initial).
    category = CategoryChoiceField(
        label=_("Category"), queryset=queries.live_categories(), empty_label=_("Choose a category")
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "maxlength": TAGS_MAX * (TAG_LENGTH_MAX + 1),
                "placeholder": _("for example: billing invoices"),
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A fresh queryset per form, so a category published a moment ago is offered.
        self.fields["category"].queryset = queries.live_categories()
        self.fields["tags"].help_text = gettext(
            "Up to %(count)d tags, space or comma separated (letters, digits and dashes)."
        ) % {"count": TAGS_MAX}

    def clean_title(self) -> str:
        return _using(actions.clean_title, self.cleaned_data["title"])

    def clean_body(self) -> str:
        return _using(actions.clean_body, self.cleaned_data["body"])

    def clean_tags(self) -> list[str]:
        return _using(actions.clean_tags, self.cleaned_data["tags"])


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class ImagesField(forms.FileField):
    """Any number of image files in one input; cleaned by forum/attachments.py into images
    ready to store, so a hostile file is a form error with the same words as the API's."""

    widget = MultipleImageInput(attrs={"accept": ACCEPT, "multiple": True})

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Images"))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = list(data) if isinstance(data, list | tuple) else ([data] if data else [])
        return _using(clean_images, files)


class DescriptionsField(forms.Field):
    """The descriptions (alt text) of the images chosen, in their order: the page's script
    adds one input per image; without it there are none, and each image is "Screenshot N"
    until its author describes it on the edit page."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value) -> list[str]:
        return [actions.clean_alt(text) for text in (value or [])]


class ImagesMixin(forms.Form):
    images = ImagesField()
    image_alts = DescriptionsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["images"].help_text = gettext(
            "Screenshots help: PNG, JPEG, WebP or GIF, up to %(count)d images of %(size)s each."
        ) % {
            "count": attachment_limits()["MAX_PER_POST"],
            "size": filesizeformat(attachment_limits()["MAX_BYTES"]),
        }

    @property
    def max_images(self) -> int:
        return attachment_limits()["MAX_PER_POST"]

    @property
    def max_bytes(self) -> int:
        return attachment_limits()["MAX_BYTES"]


def _language_field() -> forms.ChoiceField:
    """The language a post is written in; blank: detected (docs/i18n.md)."""
    return forms.ChoiceField(
        label=_("Written in"),
        required=False,
        choices=[("", _("Detect automatically")), *settings.LANGUAGES],
        help_text=_("Screen readers read the post in this language's voice."),
    )


class AskQuestionForm(ImagesMixin, QuestionForm):
    """The ask form: a question, its images, and whether only staff (and moderators) may
    see it."""

    language = _language_field()

    private = forms.BooleanField(
        label=_("Ask privately"),
        required=False,
        help_text=_(
            "Only you, staff and moderators will see this question and its answers. Use it "
            "when you must share account or billing details."
        ),
    )


class PrivacyForm(_Form):
    private = forms.BooleanField(required=False)


class EditQuestionForm(QuestionForm):
    language = _language_field()  # blank: detected again when the text changes
    summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=SUMMARY_MAX,
        help_text=_("Briefly, what did you change?"),
    )


class _AnswerBodyForm(HoneypotMixin, _Form):
    body = forms.CharField(
        label=_("Write your answer"),
        help_text=_("Markdown is supported: **bold**, `code`, lists and links."),
        widget=_markdown_area(8),
    )

    def clean_body(self) -> str:
        return _using(actions.clean_body, self.cleaned_data["body"])


class AnswerForm(ImagesMixin, _AnswerBodyForm):
    language = _language_field()


class EditAnswerForm(_AnswerBodyForm):  # an edit keeps the answer's images
    language = _language_field()  # blank: detected again when the text changes
    summary = forms.CharField(
        label=_("Edit summary"),
        required=False,
        max_length=SUMMARY_MAX,
        help_text=_("Briefly, what did you change?"),
    )


class CommentForm(HoneypotMixin, _Form):
    body = forms.CharField(
        label=_("Comment"),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": COMMENT_MAX}),
    )

    def clean_body(self) -> str:
        return _using(actions.clean_comment, self.cleaned_data["body"])


class VoteForm(_Form):
    value = forms.TypedChoiceField(
        choices=[(Vote.UP, "+1"), (Vote.DOWN, "-1"), (Vote.NONE, "0")], coerce=int
    )


class StateForm(_Form):
    state = forms.ChoiceField(label=_("State"), choices=QuestionState.choices)


class PreviewForm(_Form):
    body = forms.CharField(required=False, max_length=BODY_MAX, strip=False)


# --- Moderator tools (forum/actions/moderation.py) --------------------------------------

NOTE_MAX = 500


# The moderator forms only parse: every field is optional and takes any value, so the
# form is valid and the action (forum/actions/moderation.py, accounts.actions) decides,
# permission first, then the reason, the question named, the category, the note's length.


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note for the audit log (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX}),
    )


class _AnyChoiceField(forms.ChoiceField):
    """A select whose value the action checks (an unknown one is its InvalidInput)."""

    def valid_value(self, value) -> bool:
        return True


def _question_ref_field(label, help_text) -> forms.CharField:
    """A question named by its id or its URL (/questions/<id>/...): the action resolves
    it (forum.actions.moderation.question_named)."""
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.TextInput(attrs={"maxlength": 300}),
    )


class EmptyForm(_Form):
    """A button with nothing to parse."""


class NoteForm(_Form):
    note = _note_field()


class CloseForm(_Form):
    reason = _AnyChoiceField(
        label=_("Why is it closed?"), choices=CloseReason.choices, required=False
    )
    duplicate_of = _question_ref_field(
        _("Original question (for a duplicate)"), _("Its number or its address.")
    )
    note = _note_field()


def _category_choices():
    return [(c.pk, c.title) for c in queries.live_categories()]


class MoveForm(_Form):
    category = _AnyChoiceField(label=_("Move to"), choices=_category_choices, required=False)
    note = _note_field()


class MergeForm(_Form):
    into = _question_ref_field(
        _("Merge into (the original question)"),
        _("Its number or its address. Answers and comments move there."),
    )
    note = _note_field()


class DayField(forms.DateField):
    """A day; None when empty; the text as typed when it is not a day, which the action
    refuses after its permission check (accounts.actions.suspend_member)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return str(value).strip()[:100]


class SuspendForm(_Form):
    reason = forms.CharField(
        label=_("Reason (shown to the member)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
    )
    until = DayField(
        label=_("Until"),
        required=False,
        help_text=_("Leave empty to suspend until lifted."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class AttachmentsForm(ImagesMixin, _Form):
    """The edit page's images: a description per image, "remove" boxes, and more images."""

    remove = forms.TypedMultipleChoiceField(
        label=_("Remove"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.attachments = list(attachments)
        self.fields["images"].label = _("Add images")
        self.fields["remove"].choices = [(a.pk, a.alt_text) for a in self.attachments]
        for attachment in self.attachments:
            self.fields[f"alt_{attachment.pk}"] = forms.CharField(
                label=gettext("Description of image %(number)d") % {"number": attachment.position},
                required=False,
                max_length=ALT_MAX,
                initial=attachment.alt,
                help_text=gettext("Leave empty for “%(default)s”.")
                % {"default": gettext("Screenshot %(number)d") % {"number": attachment.position}},
            )

    @property
    def max_images(self) -> int:
        return max(0, attachment_limits()["MAX_PER_POST"] - len(self.attachments))

    def rows(self) -> list:
        """Each image with its description field, for the template."""
        return [(a, self[f"alt_{a.pk}"]) for a in self.attachments]

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "images": data["images"],
            "alts": data["image_alts"],
            "descriptions": {a.pk: data.get(f"alt_{a.pk}", "") for a in self.attachments},
            "remove": data["remove"],
        }
