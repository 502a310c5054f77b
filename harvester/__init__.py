"""harvester: an archive of diplomatic meeting readouts."""

__version__ = "0.1.0"
