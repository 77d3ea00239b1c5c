from django.urls import path

from umka.assignments import views, views_bank, views_teacher

app_name = "assignments"

urlpatterns = [
    path("new/<int:space_pk>/", views_teacher.new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/edit/", views_teacher.edit, name="edit"),
    path("<int:pk>/publish/", views_teacher.publish, name="publish"),
    path("<int:pk>/delete/", views_teacher.delete, name="delete"),
    path("<int:pk>/parts/new/", views_teacher.part_new, name="part_new"),
    path("<int:pk>/from-bank/", views_teacher.from_bank, name="from_bank"),
    path("<int:pk>/rubric/", views_teacher.rubric, name="rubric"),
    path("<int:pk>/files/", views_teacher.files, name="files"),
    path("<int:pk>/extension/", views_teacher.extension, name="extension"),
    path("parts/<int:pk>/edit/", views_teacher.part_edit, name="part_edit"),
    path("parts/<int:pk>/change/", views_teacher.part_change, name="part_change"),
    path("files/<int:pk>/", views.assignment_file, name="file"),
    path("submissions/<int:pk>/", views.submission_page, name="submission"),
    path("submissions/<int:pk>/grade/", views_teacher.grade, name="grade"),
    path("submissions/<int:pk>/return/", views_teacher.return_work, name="return"),
    path("answer-files/<int:pk>/", views.answer_file, name="answer_file"),
    path("bank/", views_bank.index, name="bank"),
    path("bank/new/", views_bank.question_new, name="bank_new"),
    path("bank/<int:pk>/", views_bank.question_edit, name="bank_edit"),
    path("bank/<int:pk>/delete/", views_bank.question_delete, name="bank_delete"),
    path("bank/import/", views_bank.gift_import, name="bank_import"),
    path("bank/export/", views_bank.gift_export, name="bank_export"),
]
