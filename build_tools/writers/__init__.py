"""The writers: the Book (and its print layout, when there is one) as files in dist/."""
