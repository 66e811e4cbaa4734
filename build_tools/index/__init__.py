"""The index of names: mentions found in the text, then entries with their locators."""
