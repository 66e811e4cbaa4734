"""Reading the manuscript folder: book.toml, the text files, the YAML files, EDTF dates."""
