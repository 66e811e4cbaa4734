"""Single-source book production: a Markdown manuscript into EPUB 3 and print PDF."""

__version__ = "0.1.0"
