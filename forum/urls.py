from django.urls import path

from forum import attachment_views, directory_views, feeds, views

app_name = "forum"

# Fixed words (edit, answers, vote...) come before the slug route so they are never read
# as a slug.
urlpatterns = [
    path("questions/", views.question_list, name="questions"),
    path("questions/ask/", views.ask_question_view, name="ask"),
    path("questions/<int:question_id>/", views.question_short, name="question_short"),
    path("questions/<int:question_id>/edit/", views.edit_question_view, name="edit_question"),
    path("questions/<int:question_id>/answers/", views.post_answer_view, name="answer"),
    path("questions/<int:question_id>/vote/", views.vote_question_view, name="vote_question"),
    path("questions/<int:question_id>/unaccept/", views.unaccept_answer_view, name="unaccept"),
    path("questions/<int:question_id>/verify/", views.verify_answer_view, name="verify"),
    path(
        "questions/<int:question_id>/comments/",
        views.comment_question_view,
        name="comment_question",
    ),
    path("questions/<int:question_id>/delete/", views.delete_question_view, name="delete_question"),
    path(
        "questions/<int:question_id>/restore/",
        views.restore_question_view,
        name="restore_question",
    ),
    path("questions/<int:question_id>/state/", views.set_state_view, name="set_state"),
    path("questions/<int:question_id>/privacy/", views.set_privacy_view, name="set_privacy"),
    path("questions/<int:question_id>/close/", views.close_question_view, name="close"),
    path("questions/<int:question_id>/move/", views.move_question_view, name="move"),
    path("questions/<int:question_id>/merge/", views.merge_question_view, name="merge"),
    path("questions/<int:question_id>/hide/", views.hide_question_view, name="hide"),
    path("questions/<int:question_id>/unhide/", views.unhide_question_view, name="unhide"),
    *(
        path(
            f"questions/<int:question_id>/{verb}/",
            views.moderate_question_view,
            {"verb": verb},
            name=verb,
        )
        for verb in ("reopen", "lock", "unlock", "pin", "unpin")
    ),
    path(
        "questions/<int:question_id>/revisions/",
        views.question_revisions,
        name="question_revisions",
    ),
    path(
        "questions/<int:post_id>/images/",
        attachment_views.update_attachments_view,
        {"kind": "question"},
        name="question_images",
    ),
    path("questions/<int:question_id>/<str:slug>/", views.question_detail, name="question"),
    path(
        "answers/<int:post_id>/images/",
        attachment_views.update_attachments_view,
        {"kind": "answer"},
        name="answer_images",
    ),
    # Images of posts, served to those who may see the post (forum/attachment_views.py).
    path(
        "attachments/<int:attachment_id>/<str:filename>",
        attachment_views.attachment_file,
        name="attachment",
    ),
    path(
        "attachments/<int:attachment_id>/thumbnail/<str:filename>",
        attachment_views.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("answers/<int:answer_id>/", views.answer_short, name="answer_short"),
    path("answers/<int:answer_id>/edit/", views.edit_answer_view, name="edit_answer"),
    path("answers/<int:answer_id>/vote/", views.vote_answer_view, name="vote_answer"),
    path("answers/<int:answer_id>/accept/", views.accept_answer_view, name="accept"),
    path("answers/<int:answer_id>/comments/", views.comment_answer_view, name="comment_answer"),
    path("answers/<int:answer_id>/delete/", views.delete_answer_view, name="delete_answer"),
    path("answers/<int:answer_id>/restore/", views.restore_answer_view, name="restore_answer"),
    path("answers/<int:answer_id>/hide/", views.hide_answer_view, name="hide_answer"),
    path("answers/<int:answer_id>/unhide/", views.unhide_answer_view, name="unhide_answer"),
    path("answers/<int:answer_id>/revisions/", views.answer_revisions, name="answer_revisions"),
    path("comments/<int:comment_id>/delete/", views.delete_comment_view, name="delete_comment"),
    path("tags/", directory_views.tag_directory, name="tags"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("privileges/", directory_views.privileges_page, name="privileges"),
    # RSS and Atom feeds of the newest public questions (forum/feeds.py).
    path("feeds/questions/", feeds.NewestQuestionsFeed(), name="feed_questions"),
    path("feeds/questions/atom/", feeds.NewestQuestionsAtomFeed(), name="feed_questions_atom"),
    path("feeds/categories/<str:slug>/", feeds.CategoryQuestionsFeed(), name="feed_category"),
    path(
        "feeds/categories/<str:slug>/atom/",
        feeds.CategoryQuestionsAtomFeed(),
        name="feed_category_atom",
    ),
    path("feeds/tags/<str:slug>/", feeds.TagQuestionsFeed(), name="feed_tag"),
    path("feeds/tags/<str:slug>/atom/", feeds.TagQuestionsAtomFeed(), name="feed_tag_atom"),
    path("preview/", views.preview_view, name="preview"),
    path("categories.css", views.category_colours_css, name="category_colours"),
]

# The member pages show posts, so they are the forum's views, but they keep their names in
# the accounts: namespace (config/urls.py mounts them there with accounts.urls).
member_urlpatterns = [
    path("members/", directory_views.member_directory, name="members"),
    path("members/<str:username>/", views.member_profile, name="profile"),
    path(
        "members/<str:username>/suspension/",
        views.suspend_member_view,
        name="suspend",
    ),
    path(
        "members/<str:username>/suspension/lift/",
        views.reinstate_member_view,
        name="reinstate",
    ),
    path("settings/export/", views.export_member_data_view, name="export"),
]
