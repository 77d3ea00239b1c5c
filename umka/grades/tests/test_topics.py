import pytest

from umka.core.topics import normalise_topic


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("Линейные уравнения с параметром", "линейные уравнения с параметром"),
        ("  ЛИНЕЙНЫЕ   уравнения\tс параметром. ", "линейные уравнения с параметром"),
        ("«Линейные уравнения» (с параметром)!", "линейные уравнения с параметром"),
        ("Ёлки-палки", "елки палки"),
        ("Функция y = k/x", "функция y k x"),
        ("", ""),
        (None, ""),
    ],
)
def test_normalise_topic_folds_case_spaces_and_punctuation(written, key):
    assert normalise_topic(written) == key


def test_normalise_topic_keeps_words_apart():
    assert normalise_topic("Степень с натуральным показателем") != normalise_topic(
        "Степень с целым показателем"
    )


def test_normalise_topic_is_idempotent():
    key = normalise_topic("Причастие. Причастный оборот — «повторение»")
    assert normalise_topic(key) == key
