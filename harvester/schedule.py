"""Scheduling: cron expressions as cron means them, on APScheduler 3.x triggers."""

from __future__ import annotations

import re
from datetime import tzinfo

from apscheduler.triggers.cron import CronTrigger

# cron numbers days of the week from Sunday (0 and 7); APScheduler 3.x from Monday.
_CRON_WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _weekday_number(token: str) -> int:
    token = token.lower()
    if token[:3] in _CRON_WEEKDAYS and not token.isdigit():
        return _CRON_WEEKDAYS.index(token[:3])
    number = int(token)
    if not 0 <= number <= 7:
        raise ValueError(f"day of week {number} is out of range 0-7")
    return number % 7


def _weekdays(field: str) -> str:
    """Expand cron's day-of-week field into APScheduler's names, so numbering cannot drift."""
    if field == "*":
        return "*"
    days: set[int] = set()
    for part in field.split(","):
        span, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if span == "*":
            first, last = 0, 6
        elif "-" in span:
            first_text, last_text = span.split("-", 1)
            first, last = _weekday_number(first_text), _weekday_number(last_text)
            if last_text.strip() == "7":
                last = 7
            if last < first:
                raise ValueError(f"range {span!r} runs backwards")
        else:
            first = last = _weekday_number(span)
        days.update(day % 7 for day in range(first, last + 1, step))
    return ",".join(_CRON_WEEKDAYS[day] for day in sorted(days))


def cron_trigger(expression: str, timezone: tzinfo | str | None = None) -> CronTrigger:
    """A trigger that fires exactly when cron would for `expression` (five fields)."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"needs 5 fields (minute hour day month weekday), got {len(fields)}")
    minute, hour, day, month, weekday = fields
    if day != "*" and weekday != "*":
        raise ValueError("restrict either the day of the month or the day of the week, not both")
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekdays(weekday),
        timezone=timezone,
    )


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)([smhd])")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in a duration such as `20m`, `90s`, `1h30m` or `1.5s`: budgets are written by people."""
    compact = text.strip().lower().replace(" ", "")
    parts = _DURATION_PART.findall(compact)
    if not parts or "".join(number + unit for number, unit in parts) != compact:
        raise ValueError(f"{text!r} is not a duration like 20m, 90s or 1h30m")
    return sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)
