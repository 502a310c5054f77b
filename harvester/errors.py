"""The project's one exception tree: what harvester reports to a person, as one line.

Library code raises these; the command group (`harvester.cli`) is the one place that
turns any of them into `Error: <message>` and a non-zero exit. Each message says what
went wrong, where (the file, the corpus, the URL) and what to do about it, so no
command needs its own `except` to be understood.

    HarvesterError
    ├── ConfigError        a config file that cannot be used (harvester.config)
    ├── StoreUnavailable   the corpus cannot be used: damaged, full, read-only, busy (harvester.store)
    │   └── StoreBusy
    ├── SchemaError        a corpus written by a newer release (harvester.store.schema)
    ├── CheckError         `harvester check` has no page to check (harvester.check)
    ├── PublishError       Datasette cannot be started, or the corpus to serve is missing (harvester.publish)
    └── FetchError         one URL that could not be fetched (harvester.fetch)
"""

from __future__ import annotations


class HarvesterError(Exception):
    """Anything harvester reports to a person; `str()` of it is one line: what, where, what to do."""


class PublishError(HarvesterError):
    """The corpus cannot be served: it is missing, the port is taken, or Datasette stopped on its own."""
