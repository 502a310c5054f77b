"""The software version a failed page is recorded under, computed on first use.

It hashes source files, so importing the stages that record or judge failures
(`store`, `walk`) must not pay for it; only a harvest or a failures listing does.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import version as installed_version
from pathlib import Path

from harvester import __version__

_PACKAGE = Path(__file__).resolve().parent


@cache
def software() -> str:
    """The release and a digest of the code a page goes through, and of the parser library's version.

    A page that failed in parsing or extraction is tried again when this changes (see
    `harvester.walk`): a fix to the extractor should not wait out a week's back-off.
    """
    digest = hashlib.sha1(installed_version("selectolax").encode())
    for file in sorted([*(_PACKAGE / "extract").glob("*.py"), _PACKAGE / "discover.py", _PACKAGE / "fetch.py"]):
        digest.update(file.read_bytes())
    return f"{__version__}+{digest.hexdigest()[:10]}"
