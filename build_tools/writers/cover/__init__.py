"""The covers (issue 14 items 1 and 2): the e-book's cover picture and the print cover sheet.

``design`` holds the typography both share, ``ebook`` the EPUB's cover (the book's picture or a
generated one), ``raster`` turns a one-page HTML document into PNG bytes, ``sheet`` writes the
printer's wraparound PDF and ``barcode`` draws its EAN-13. Shared by the writers: the EPUB
writer imports ``ebook``; none of these imports a writer.
"""
