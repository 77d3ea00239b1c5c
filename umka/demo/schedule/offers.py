"""What the demo school's staff offer as consultations: the texts, the staff
offers for parents, how much each subject matters, the reasons of amendments."""

import datetime as dt
from dataclasses import dataclass

from umka.consultations.models import (
    ChecklistItem,
    Consultation,
)
from umka.demo import curriculum as cur

Form = Consultation.Form
Recurrence = Consultation.Recurrence


GRID = 15  # start times fall on the quarter hour


AFTERNOON = ("14:30", "18:00")  # teachers consult after lessons


DURATIONS = (30, 40, 45, 60)


ATTESTATION_MINUTES = (60, 45, 40, 30)


ATTESTATIONS_PER_PERIOD = 2  # per teacher, for different classes or subjects


# How much a subject matters for help outside lessons (which groups a teacher
# picks for consultations); attestation preparation only for weight ≥ 3.
WEIGHT = {
    cur.RUSSIAN: 5,
    cur.MATHS: 5,
    cur.ALGEBRA: 5,
    cur.CALCULUS: 5,
    cur.GEOMETRY: 4,
    cur.PHYSICS: 4,
    cur.CHEMISTRY: 4,
    cur.FOREIGN: 4,
    cur.INFORMATICS: 3,
    cur.BIOLOGY: 3,
    cur.HISTORY: 3,
    cur.SOCIAL: 3,
    cur.LITERATURE: 3,
    cur.GEOGRAPHY: 3,
    cur.PROBABILITY: 2,
    cur.READING: 2,
    cur.WORLD: 2,
    cur.OBZR: 2,
}


MINOR = frozenset({cur.MUSIC, cur.ART, cur.CRAFT, cur.PE})


EXAM_GRADES = (9, 11)


WEBINAR_JOIN = "Вебинар в Умке (ссылка появится за 15 минут)"


ROOM_JOIN = "Комната в Умке (ссылка появится за 15 минут)"


CHAT_JOIN = "кабинет {room} / чат в Умке"


OVERVIEW_TEXTS = (
    "Обзор пройденного материала, ответы на вопросы, разбор ошибок в текущих работах.",
    "Повторение основных тем четверти для тех, кто пропустил уроки или хочет "
    "подтянуть оценки.",
    "Разбор домашних заданий, вызвавших затруднения; ответы на вопросы учащихся.",
)


TOPICAL_TEXT = (
    "Темы выбраны по результатам текущих оценок и обращениям учащихся и родителей."
)


ATTESTATION_TEXT = (
    "Подготовка к контрольной работе по разделу «{part}»: порядок проведения и "
    "оформление работы, разбор самых трудных заданий, критерии оценивания."
)


CHECKLIST_NOTES = {
    ChecklistItem.Kind.BRIEFING: (
        "Рассказали о порядке проведения контрольной работы по разделу «{part}» "
        "(один урок, 40 минут) и о правилах оформления: решение записывается "
        "полностью, черновик не проверяется."
    ),
    ChecklistItem.Kind.HARD_TASKS: (
        "Разобрали алгоритмы решения трёх самых трудных заданий демоверсии; "
        "записи решений выложены в чат консультации."
    ),
    ChecklistItem.Kind.CRITERIA: (
        "Объяснили критерии: «5» — от 90 % баллов, «4» — от 70 %, «3» — от 50 %; "
        "показали образцы оценённых работ."
    ),
}


#: The approval of version 1 (the Russian text services.schedule_approve records).
APPROVED_REASON = "Утверждён"


MOVE_REASON = "Педагогический совет: консультация перенесена на другой день"


COURSES_REASON = "Учитель на курсах повышения квалификации"


ILLNESS_REASON = "Болезнь учителя"


OLYMPIAD_REASON = "Учитель сопровождает учащихся на муниципальный этап олимпиады"


DRAFT_TEACHERS = 8  # besides `teacher`, who entered their consultations early


@dataclass(frozen=True)
class StaffOffer:
    """A non-subject consultation for parents (R3: deputies and other staff help
    within their working time, R7)."""

    position: str
    grades: tuple[int, ...]
    form: str
    recurrence: str
    minutes: int
    window: tuple[str, str]
    description: str
    topics: tuple[str, ...] = ()
    room: int = 0
    #: Which of several people with the same position (0: the first).
    nth: int = 0


UVR = "Заместитель директора по учебно-воспитательной работе"


STAFF_OFFERS = (
    StaffOffer(
        UVR,
        EXAM_GRADES,
        Form.VIDEOCONFERENCE,
        Recurrence.BIWEEKLY,
        45,
        ("15:00", "17:00"),
        "Организация обучения, промежуточная и итоговая аттестация: ответы на "
        "вопросы родителей.",
        (
            "Порядок и график промежуточной аттестации",
            "Итоговое собеседование (9 класс) и итоговое сочинение (11 класс)",
            "Выбор предметов для государственной итоговой аттестации",
        ),
    ),
    StaffOffer(
        UVR,
        (5, 6),
        Form.WEBINAR,
        Recurrence.BIWEEKLY,
        45,
        ("15:00", "17:00"),
        "Электронный журнал, домашние задания и учебная нагрузка: как помочь "
        "ребёнку учиться.",
        nth=1,
    ),
    StaffOffer(
        "Заместитель директора по воспитательной работе",
        (1, 2, 3, 4),
        Form.WEBINAR,
        Recurrence.BIWEEKLY,
        40,
        ("15:00", "17:00"),
        "Внеурочная деятельность, кружки и дополнительное образование в школе.",
    ),
    StaffOffer(
        "Педагог-психолог",
        (1, 5),
        Form.VIDEOCONFERENCE,
        Recurrence.WEEKLY,
        45,
        ("14:30", "17:00"),
        "Консультация педагога-психолога для родителей первоклассников и "
        "пятиклассников.",
        (
            "Адаптация к школе: чего ожидать в первые месяцы",
            "Режим дня и учебная нагрузка",
            "Как поддержать ребёнка при неудачах",
        ),
        room=105,
    ),
    StaffOffer(
        "Педагог-психолог",
        EXAM_GRADES,
        Form.CHAT,
        Recurrence.BIWEEKLY,
        45,
        ("14:30", "17:00"),
        "Психологическая подготовка к экзаменам: консультация для родителей.",
        (
            "Тревожность перед экзаменами: как помочь подростку",
            "Режим сна и отдыха во время подготовки",
            "Как говорить с подростком о результатах",
        ),
        room=105,
    ),
    StaffOffer(
        "Социальный педагог",
        (7, 8),
        Form.CHAT,
        Recurrence.BIWEEKLY,
        40,
        ("14:30", "17:00"),
        "Права и обязанности подростка, безопасность в интернете, меры социальной "
        "поддержки семей.",
        room=106,
    ),
    StaffOffer(
        "Учитель-логопед",
        (1, 2),
        Form.VIDEOCONFERENCE,
        Recurrence.WEEKLY,
        40,
        ("12:30", "14:00"),
        "Занятия с ребёнком дома: советы учителя-логопеда родителям.",
        (
            "Звуковой анализ слова: упражнения для занятий дома",
            "Профилактика ошибок на письме",
            "Развитие связной речи",
        ),
    ),
    StaffOffer(
        "Руководитель центра «Точка роста»",
        (8, 9, 10),
        Form.WEBINAR,
        Recurrence.BIWEEKLY,
        45,
        ("15:00", "17:00"),
        "Проектная и исследовательская деятельность в центре «Точка роста»: как "
        "выбрать тему и руководителя.",
    ),
)


def minutes_of(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock_of(minutes: int) -> dt.time:
    return dt.time(minutes // 60, minutes % 60)
