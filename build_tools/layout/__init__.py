"""The print layout: the book as pages, laid out once, and where everything falls on them."""
