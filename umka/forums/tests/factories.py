"""Forums for the tests: the course forum of «Алгебра, 7А» and the parents'
forum of 7А, whose class teacher is the course school's `teacher`."""

import uuid

from umka.forums import services


def course_forum(school):
    return services.forum_of_space(school.space)


def parents_forum(school):
    school.class_7a.class_teacher = school.teacher
    school.class_7a.save()
    return services.forum_of_class(school.class_7a)


def start(forum, author, *, title="Вопрос по домашнему заданию", body="Как решать №5?"):
    return services.thread_create(
        actor=author, forum=forum, token=uuid.uuid4(), title=title, body=body
    )


def reply(thread, author, body="Разложите на множители.", **kwargs):
    return services.post_reply(
        actor=author,
        thread=thread,
        token=kwargs.pop("token", uuid.uuid4()),
        body=body,
        **kwargs,
    )
