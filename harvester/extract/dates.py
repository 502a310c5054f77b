"""Publication dates as ISO 8601, from whatever a page prints."""

from __future__ import annotations

from datetime import datetime

from harvester.extract.text import collapse

TIME_DIRECTIVES = ("%H", "%I", "%M", "%S", "%p", "%X", "%c", "%z")


def _iso(moment: datetime, pattern: str | None) -> str:
    if pattern is not None and not any(directive in pattern for directive in TIME_DIRECTIVES):
        return moment.date().isoformat()
    return moment.isoformat()


def parse_date(value: str | None, formats: tuple[str, ...] = ()) -> str | None:
    """ISO 8601 first, then each strptime pattern; None when nothing fits.

    Sites space their dates irregularly ("11 / Mar / 2018", "19 /Feb/ 2018"), so a
    pattern is tried on the collapsed text and then with all white space removed.
    """
    if not value:
        return None
    text = collapse(value)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return text[:10] if len(text) == 10 else _iso(moment, None)
    squeezed = "".join(text.split())
    for pattern in formats:
        for candidate, form in ((text, pattern), (squeezed, "".join(pattern.split()))):
            try:
                return _iso(datetime.strptime(candidate, form), pattern)
            except ValueError:
                continue
    return None
