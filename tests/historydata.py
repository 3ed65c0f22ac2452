"""Helpers shared by the history tests: fixed clocks, a fixed zone, sessions built to order."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from acupressure_desktop.storage.db import open_database
from acupressure_desktop.storage.history import HistoryRepository, Session, Status

# Local zone of the tests: two hours ahead of UTC, so that local dates differ from UTC dates late at night.
TZ = timezone(timedelta(hours=2))
NOW = datetime(2024, 6, 12, 10, 0, tzinfo=UTC)  # Wednesday 12 June 2024, 12:00 local
TODAY = date(2024, 6, 12)


def start_running(
    repo: HistoryRepository, routine_id: str = "neck-release", title: str = "Neck release", **kw: Any
) -> Session:
    """A running session written at once, as the recorder's begin() does."""
    session = repo.new_session(routine_id, title, 300, 4, **kw)
    repo.save(session)
    return session


class Clock:
    """A wall clock (aware UTC) that moves only when told."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class Monotonic:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value

    def advance(self, seconds: float) -> None:
        self.value += seconds


def repository(path: Path, clock: Clock | None = None) -> HistoryRepository:
    return HistoryRepository(open_database(path), clock=clock or Clock(), tz=TZ)


def make_session(
    day: date = TODAY,
    *,
    at: time = time(9, 0),
    practised: int = 300,
    status: Status = Status.COMPLETED,
    routine_id: str = "neck-release",
    routine_title: str = "Neck release",
    rating_label: str | None = "Neck tension",
    before: int | None = None,
    after: int | None = None,
    note: str = "",
    steps_total: int = 4,
    steps_done: int | None = None,
    session_id: str | None = None,
) -> Session:
    """A session that started at local ``day`` ``at`` (in :data:`TZ`)."""
    started = datetime.combine(day, at, tzinfo=TZ).astimezone(UTC)
    return Session(
        id=session_id or str(uuid.uuid4()),
        routine_id=routine_id,
        routine_title=routine_title,
        started_at=started,
        local_date=day,
        ended_at=started + timedelta(seconds=practised + 15),
        planned_seconds=max(practised, 300),
        practised_seconds=practised,
        steps_total=steps_total,
        steps_done=steps_total if steps_done is None else steps_done,
        status=status,
        rating_label=rating_label,
        before_rating=before,
        after_rating=after,
        note=note,
    )


ROUTINES = (
    ("neck-release", "Neck release", "Neck tension"),
    ("calm-evening", "Calm evening", "Stress"),
    ("headache-relief", "Headache relief", "Headache"),
    ("desk-break", "Desk break", "Stiffness"),
)
NOTES = (
    "",
    "",
    "",
    "",
    "Felt calmer afterwards.",
    "Left shoulder still tight",
    "=1+1 (a note that looks like a formula)",
)


def generate_sessions(count: int, *, days: int, end: date = TODAY, seed: int = 7) -> list[Session]:
    """``count`` varied sessions over the ``days`` days before ``end``: seeded, so reproducible."""
    rnd = random.Random(seed)
    sessions = []
    for _ in range(count):
        day = end - timedelta(days=1 + rnd.randrange(days))
        routine_id, title, label = rnd.choice(ROUTINES)
        status = rnd.choices(list(Status)[1:], weights=(85, 9, 4, 2))[0]
        practised = rnd.choice((180, 240, 300, 420, 600))
        steps_total = rnd.randint(2, 6)
        if status is not Status.COMPLETED:
            practised = rnd.randrange(practised)
        before = rnd.randint(3, 9) if rnd.random() < 0.6 else None
        after = max(0, before - rnd.randint(-1, 4)) if before is not None and rnd.random() < 0.9 else None
        sessions.append(
            make_session(
                day,
                at=time(rnd.randrange(6, 23), rnd.randrange(60), rnd.randrange(60)),
                practised=practised,
                status=status,
                routine_id=routine_id,
                routine_title=title,
                rating_label=label,
                before=before,
                after=after,
                note=rnd.choice(NOTES),
                steps_total=steps_total,
                steps_done=steps_total if status is Status.COMPLETED else rnd.randint(0, steps_total),
                session_id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            )
        )
    return sessions


def strict_streaks(practised: set[date], today: date) -> tuple[int, int]:
    """Current and longest run of consecutive days, counted the slow obvious way (a test oracle)."""
    current, day = 0, today if today in practised else today - timedelta(days=1)
    while day in practised:
        current, day = current + 1, day - timedelta(days=1)
    longest = 0
    for start in practised:
        if start - timedelta(days=1) not in practised:
            length = 0
            while start + timedelta(days=length) in practised:
                length += 1
            longest = max(longest, length)
    return current, longest
