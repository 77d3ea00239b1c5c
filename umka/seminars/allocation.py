"""Who assesses whose work: pure functions, no database (property-tested).

A pair is (reviewer, author). The rules, whatever happened before:

- nobody assesses their own work;
- every participant's work gets at least k = min(N, participants − 1) assessors;
- the number of works each participant assesses differs by at most one.

`allocate` makes a fresh allocation (a shuffled circle: everyone assesses the k
next ones, so everyone assesses exactly k and is assessed by exactly k).
`reallocate` repairs one after people left or came late: assessments already
done stay where they are, pending ones stay where they still fit, the missing
ones go to those who assess least, and pending ones move from the busiest to the
least busy until the spread is at most one (adding an extra assessment to the
least busy when nothing can move).
"""

import random
from collections import Counter
from collections.abc import Iterable, Sequence

Pair = tuple[int, int]


def needed(participants: int, peers: int) -> int:
    """k: assessors each work gets (everyone else when the class is small)."""
    return max(0, min(peers, participants - 1))


def allocate(participants: Sequence[int], peers: int, rng: random.Random) -> set[Pair]:
    people = list(dict.fromkeys(participants))
    rng.shuffle(people)
    k, n = needed(len(people), peers), len(people)
    return {
        (people[i], people[(i + step) % n])
        for i in range(n)
        for step in range(1, k + 1)
    }


def reallocate(
    participants: Sequence[int],
    peers: int,
    rng: random.Random,
    *,
    done: Iterable[Pair] = (),
    pending: Iterable[Pair] = (),
    balance: bool = True,
) -> set[Pair]:
    """The repaired allocation among `participants` (pairs with anybody else are
    dropped). `done` pairs are kept as they are; `pending` ones may move.
    `balance=False` (allocation by hand): keep every pending pair, only add."""
    people = list(dict.fromkeys(participants))
    here = set(people)
    k = needed(len(people), peers)
    fixed = {(r, a) for r, a in done if r in here and a in here and r != a}
    movable = [(r, a) for r, a in pending if r in here and a in here and r != a]
    movable = sorted(set(movable) - fixed)
    if not fixed and not movable and balance:
        return allocate(people, peers, rng)
    pairs = set(fixed)
    out, into = Counter(r for r, _ in pairs), Counter(a for _, a in pairs)
    rng.shuffle(movable)
    for r, a in movable:
        if not balance or (into[a] < k and out[r] < k):
            pairs.add((r, a))
            out[r] += 1
            into[a] += 1
    authors = people[:]
    rng.shuffle(authors)
    for a in authors:
        while into[a] < k:
            r = _least_busy(
                [p for p in people if p != a and (p, a) not in pairs], out, rng
            )
            pairs.add((r, a))
            out[r] += 1
            into[a] += 1
    if balance:
        _balance(people, pairs, fixed, out, into, rng)
    return pairs


def _least_busy(candidates: list[int], out: Counter, rng: random.Random) -> int:
    lowest = min(out[c] for c in candidates)
    return rng.choice([c for c in candidates if out[c] == lowest])


def _balance(people, pairs: set[Pair], fixed, out: Counter, into: Counter, rng) -> None:
    """Move pending assessments from the busiest to the least busy until the
    spread is at most one; when nothing can move, the least busy take an extra."""
    while len(people) > 1:
        loads = {p: out[p] for p in people}
        low, high = min(loads.values()), max(loads.values())
        if high - low <= 1:
            return
        lows = [p for p in people if loads[p] == low]
        highs = [p for p in people if loads[p] == high]
        move = next(
            (
                (h, a, lo)
                for lo in lows
                for h in highs
                for (r, a) in sorted(pairs)
                if r == h and (r, a) not in fixed and a != lo and (lo, a) not in pairs
            ),
            None,
        )
        if move is not None:
            h, a, lo = move
            pairs.discard((h, a))
            pairs.add((lo, a))
            out[h] -= 1
            out[lo] += 1
            continue
        lo = rng.choice(lows)
        choices = [a for a in people if a != lo and (lo, a) not in pairs]
        fewest = min(into[a] for a in choices)
        a = rng.choice([c for c in choices if into[c] == fewest])
        pairs.add((lo, a))
        out[lo] += 1
        into[a] += 1


def spread(pairs: Iterable[Pair], participants: Iterable[int]) -> int:
    """Most minus fewest assessments per participant."""
    counts = Counter(r for r, _ in pairs)
    loads = [counts[p] for p in participants]
    return max(loads) - min(loads) if loads else 0
