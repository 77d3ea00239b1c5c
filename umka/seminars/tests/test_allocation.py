"""Allocation of works to peers (R6), property-based: never the author, every
work gets N assessors whenever more than N submitted, the spread of assessments
per student is at most one — in a fresh allocation and after people leave or
come late, with some assessments already done."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from umka.seminars.allocation import allocate, needed, reallocate, spread

pytestmark = pytest.mark.requirement("R6")


def check(pairs, people, peers):
    people = set(people)
    k = needed(len(people), peers)
    assert all(r != a for r, a in pairs), "somebody assesses their own work"
    assert all(r in people and a in people for r, a in pairs)
    into = Counter(a for _, a in pairs)
    assert all(into[p] >= k for p in people), (into, k)
    assert spread(pairs, people) <= 1


classes = st.integers(min_value=0, max_value=30)
peers_ = st.integers(min_value=1, max_value=6)
seeds = st.integers(min_value=0, max_value=2**32)


@settings(max_examples=300, deadline=None)
@given(n=classes, peers=peers_, seed=seeds)
def test_a_fresh_allocation_keeps_the_rules(n, peers, seed):
    people = list(range(1, n + 1))
    pairs = allocate(people, peers, random.Random(seed))
    check(pairs, people, peers)
    if n > peers:
        # Everyone assesses exactly N and is assessed by exactly N.
        assert Counter(r for r, _ in pairs) == dict.fromkeys(people, peers)
        assert Counter(a for _, a in pairs) == dict.fromkeys(people, peers)


@settings(max_examples=500, deadline=None)
@given(
    n=st.integers(min_value=2, max_value=30),
    peers=peers_,
    seed=seeds,
    data=st.data(),
)
def test_reallocation_after_people_leave_or_come_late_keeps_the_rules(
    n, peers, seed, data
):
    rng = random.Random(seed)
    people = list(range(1, n + 1))
    first = allocate(people, peers, rng)
    done = {p for p in sorted(first) if data.draw(st.booleans(), label=f"done {p}")}
    leaving = set(data.draw(st.lists(st.sampled_from(people), max_size=n // 2)))
    late = list(range(n + 1, n + 1 + data.draw(st.integers(0, 4), label="late")))
    staying = [p for p in people if p not in leaving] + late
    pairs = reallocate(staying, peers, rng, done=done, pending=first - done)
    check(pairs, staying, peers)
    # Assessments already done among those who stay are never undone.
    assert {(r, a) for r, a in done if r in staying and a in staying} <= pairs


@settings(max_examples=200, deadline=None)
@given(n=st.integers(min_value=2, max_value=25), peers=peers_, seed=seeds)
def test_reallocation_moves_nothing_when_nothing_changed(n, peers, seed):
    rng = random.Random(seed)
    people = list(range(1, n + 1))
    first = allocate(people, peers, rng)
    assert reallocate(people, peers, rng, pending=first) == first


def test_a_work_left_alone_by_a_leaver_gets_a_new_assessor():
    # 1 → 2 → 3 → 4 → 1 (each assesses the next); 3 leaves before assessing.
    pairs = {(1, 2), (2, 3), (3, 4), (4, 1)}
    repaired = reallocate([1, 2, 4], 1, random.Random(1), done={(1, 2)}, pending=pairs)
    check(repaired, [1, 2, 4], 1)
    assert (1, 2) in repaired
    assert any(a == 4 for _, a in repaired)


def test_by_hand_every_pending_pair_stays_and_the_missing_are_added():
    pairs = reallocate(
        [1, 2, 3, 4],
        2,
        random.Random(3),
        pending={(1, 2), (1, 3), (1, 4)},
        balance=False,
    )
    assert {(1, 2), (1, 3), (1, 4)} <= pairs
    assert all(n >= 2 for n in Counter(a for _, a in pairs).values())
    assert all(r != a for r, a in pairs)
