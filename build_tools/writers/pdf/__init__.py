"""The print PDF writer: the print layout's pages as a printer's file."""
