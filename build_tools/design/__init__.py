"""Design data: page sizes, printers' profiles and the fonts of the styles folder."""
