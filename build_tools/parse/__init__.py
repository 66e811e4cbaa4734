"""Parsing: the manuscript's Markdown, through Python-Markdown and our extensions, into the Book model."""
