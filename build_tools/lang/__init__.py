"""Language data: the words, numbers and ranges the toolchain writes in a book."""
