"""Getting books in: ``book new`` and ``book import`` (Word, EPUB) make a manuscript folder."""
