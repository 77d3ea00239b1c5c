from django.urls import path

from umka.forums import views, views_discussions, views_moderation

app_name = "forums"

urlpatterns = [
    path("", views.index, name="index"),
    path("space/<int:space_pk>/", views.space_forum, name="space"),
    path("class/<int:class_pk>/", views.class_forum, name="class"),
    path("<int:forum_pk>/new/", views.thread_new, name="thread_new"),
    path("threads/<int:pk>/", views.thread_page, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("threads/<int:pk>/lock/", views_moderation.thread_lock, name="thread_lock"),
    path("threads/<int:pk>/pin/", views_moderation.thread_pin, name="thread_pin"),
    path("threads/<int:pk>/move/", views_moderation.thread_move, name="thread_move"),
    path("posts/<int:pk>/", views.post_link, name="post"),
    path("posts/<int:pk>/fragment/", views.post_fragment, name="post_fragment"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:pk>/hide/", views_moderation.post_hide, name="post_hide"),
    path("posts/<int:pk>/show/", views_moderation.post_show, name="post_show"),
    path("posts/<int:pk>/report/", views_moderation.post_report, name="post_report"),
    path(
        "reports/<int:pk>/dismiss/",
        views_moderation.report_dismiss,
        name="report_dismiss",
    ),
    path("follow/", views.subscribe, name="subscribe"),
    path("files/<int:pk>/", views.post_file, name="file"),
    path(
        "<int:forum_pk>/discussions/new/",
        views_discussions.discussion_new,
        name="discussion_new",
    ),
    path(
        "discussions/<int:pk>/",
        views_discussions.discussion_page,
        name="discussion",
    ),
    path(
        "discussions/<int:pk>/close/",
        views_discussions.discussion_close,
        name="discussion_close",
    ),
    path("grades/<int:pk>/", views_discussions.grade_page, name="grade"),
]
