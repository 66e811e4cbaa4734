"""Our Python-Markdown extensions, one feature per module."""
