"""The EPUB 3 writer."""
