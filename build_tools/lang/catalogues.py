"""The catalogues of French, German, Spanish and Italian: each field of ``Labels`` as a publisher
in that language prints it (English is ``labels.ENGLISH``).

The index's *See* and *See also* follow a full stop (Chicago's ``Mao Tse-tung. See Mao
Zedong``), so they are capitalized in every language. French puts a no-break space before a
colon (U+00A0) and a narrow one before ``; ! ?`` (U+202F), and ties "p." and "n." to their
number; the other languages tie their abbreviations with a no-break space.
"""

from __future__ import annotations

NBSP = "\u00a0"

FRENCH = {
    "contents": "Table des matières",
    "title_page": "Page de titre",
    "copyright": "Mentions légales",
    "chronology": "Chronologie",
    "notes": "Notes",
    "index": "Index des noms",
    "cover": "Couverture",
    "title_page_label": "Page de titre",
    "landmarks": "Repères",
    "page_list": "Liste des pages",
    "cover_alt": "Couverture de {title}, par {author}",
    "title_and_subtitle": f"{{title}}{NBSP}: {{subtitle}}",
    "copyright_notice": "© {holder}, {year}",
    "published_by": "Publié par {publisher}",
    "isbn_print": "ISBN {isbn} (broché)",
    "isbn_ebook": "ISBN {isbn} (livre numérique EPUB)",
    "identifier": f"Identifiant {{format}}{NBSP}: {{identifier}}",
    "set_in": "Composé en {family}.",
    "typefaces": "{family}, avec {fallbacks}",
    "notes_to_page": "Notes de la page {span}",
    "notes_to_pages": "Notes des pages {span}",
    "back_to_reference": "Retour à l’appel de note {number}{letter}",
    "see": "Voir",
    "see_also": "Voir aussi",
    "in_the_text": f"Dans le texte{NBSP}: {{links}}.",
    "page_reference": f"(p.{NBSP}{{page}})",
    "page_references": f"(p.{NBSP}{{pages}})",
    "note_locator": f"{{page}}{NBSP}n.{NBSP}{{number}}",
    "note_locator_chapter": f"{{locator}} (chap.{NBSP}{{chapter}})",
    "note_locator_section": "{locator} ({section})",
    "continued": "{heading} (suite)",
    "print_edition": "{title}, édition imprimée, {trim}, {publisher}",
    "accessibility_summary": (
        "Cette publication comporte une table des matières, un titre pour chaque section et des "
        "notes liées à leurs appels dans les deux sens. {pictures} Les réglages de police et de "
        "couleur du système de lecture sont respectés."
    ),
    "accessibility_pictures": "Chaque image a une alternative textuelle.",
    "accessibility_no_pictures": "Elle ne contient que du texte, sans image.",
    "accessibility_certified": (
        "Sa conformité à EPUB Accessibility 1.1 et aux WCAG 2.2, niveau AA, est certifiée par {certifier}."
    ),
    "preview": "Aperçu",
    "preview_index": "Index",
    "index_marks": "Marques d’index",
    "print_view": "version imprimée",
    "print_view_link": "Version imprimée",
    "ebook_view_link": "Version numérique",
    "print_view_title": "{title} (version imprimée)",
    "error_title": "Erreur",
    "cannot_read": f"Le manuscrit ne peut pas être lu{NBSP}:",
    "cannot_read_explanation": "la page montre la dernière version lisible.",
    "warnings": "Avertissements et questions en suspens",
    "note_label": "Note {number}",
    "in_the_notes": "Dans les notes",
    "updating": "mise à jour…",
    "laying_out": "composition des pages imprimées…",
    "printed_page": "Page imprimée {number}",
    "quick_proof": (
        "épreuve rapide de cette section (numéros de page de la dernière composition)"
        "\u202f; composition du livre…"
    ),
    "open_queries": "Questions en suspens",
    "query_number": "Q{number}",
    "proof_slug": "Épreuve, ne pas imprimer",
    "query_label": f"Question de l’éditeur{NBSP}: {{query}}",
}

GERMAN = {
    "contents": "Inhalt",
    "title_page": "Titelseite",
    "copyright": "Impressum",
    "chronology": "Zeittafel",
    "notes": "Anmerkungen",
    "index": "Personenregister",
    "cover": "Umschlag",
    "title_page_label": "Titelseite",
    "landmarks": "Orientierungspunkte",
    "page_list": "Seitenliste",
    "cover_alt": "Umschlag von „{title}“, {author}",
    "title_and_subtitle": "{title}. {subtitle}",
    "copyright_notice": "© {year} {holder}",
    "published_by": "Erschienen bei {publisher}",
    "isbn_print": "ISBN {isbn} (Broschur)",
    "isbn_ebook": "ISBN {isbn} (E-Book, EPUB)",
    "identifier": "{format}-Kennung: {identifier}",
    "set_in": "Gesetzt aus der {family}.",
    "typefaces": "{family} und der {fallbacks}",
    "notes_to_page": "Anmerkungen zu Seite {span}",
    "notes_to_pages": "Anmerkungen zu den Seiten {span}",
    "back_to_reference": "Zurück zur Anmerkungsziffer {number}{letter}",
    "see": "Siehe",
    "see_also": "Siehe auch",
    "in_the_text": "Im Text: {links}.",
    "page_reference": f"(S.{NBSP}{{page}})",
    "page_references": f"(S.{NBSP}{{pages}})",
    "note_locator": f"{{page}}{NBSP}Anm.{NBSP}{{number}}",
    "note_locator_chapter": f"{{locator}} (Kap.{NBSP}{{chapter}})",
    "note_locator_section": "{locator} ({section})",
    "continued": "{heading} (Forts.)",
    "print_edition": "{title}, Druckausgabe, {trim}, {publisher}",
    "accessibility_summary": (
        "Diese Publikation hat ein Inhaltsverzeichnis, eine Überschrift für jeden Abschnitt und "
        "Anmerkungen, die mit ihren Verweisen in beide Richtungen verlinkt sind. {pictures} "
        "Schrift- und Farbeinstellungen des Lesesystems werden beachtet."
    ),
    "accessibility_pictures": "Jedes Bild hat einen Alternativtext.",
    "accessibility_no_pictures": "Sie enthält nur Text, keine Bilder.",
    "accessibility_certified": (
        "Ihre Konformität mit EPUB Accessibility 1.1 und WCAG 2.2, Stufe AA, wurde von "
        "{certifier} zertifiziert."
    ),
    "preview": "Vorschau",
    "preview_index": "Register",
    "index_marks": "Registermarken",
    "print_view": "Druckansicht",
    "print_view_link": "Druckansicht",
    "ebook_view_link": "E-Book-Ansicht",
    "print_view_title": "{title} (Druckansicht)",
    "error_title": "Fehler",
    "cannot_read": "Das Manuskript kann nicht gelesen werden:",
    "cannot_read_explanation": "Die Seite zeigt die letzte lesbare Fassung.",
    "warnings": "Warnungen und offene Fragen",
    "note_label": "Anmerkung {number}",
    "in_the_notes": "In den Anmerkungen",
    "updating": "wird aktualisiert …",
    "laying_out": "die Druckseiten werden umbrochen …",
    "printed_page": "Druckseite {number}",
    "quick_proof": (
        "schneller Probeumbruch dieses Abschnitts (Seitenzahlen des letzten Umbruchs)"
        "; das Buch wird umbrochen …"
    ),
    "open_queries": "Offene Fragen",
    "query_number": "F{number}",
    "proof_slug": "Korrekturabzug, nicht für den Druck",
    "query_label": "Frage des Lektorats: {query}",
}

SPANISH = {
    "contents": "Índice",
    "title_page": "Portada",
    "copyright": "Créditos",
    "chronology": "Cronología",
    "notes": "Notas",
    "index": "Índice onomástico",
    "cover": "Cubierta",
    "title_page_label": "Portada",
    "landmarks": "Puntos de referencia",
    "page_list": "Lista de páginas",
    "cover_alt": "Cubierta de {title}, de {author}",
    "title_and_subtitle": "{title}: {subtitle}",
    "copyright_notice": "© {holder}, {year}",
    "published_by": "Publicado por {publisher}",
    "isbn_print": "ISBN {isbn} (rústica)",
    "isbn_ebook": "ISBN {isbn} (libro electrónico, EPUB)",
    "identifier": "Identificador {format}: {identifier}",
    "set_in": "Compuesto en {family}.",
    "typefaces": "{family}, con {fallbacks}",
    "notes_to_page": "Notas de la página {span}",
    "notes_to_pages": "Notas de las páginas {span}",
    "back_to_reference": "Volver a la llamada {number}{letter}",
    "see": "Véase",
    "see_also": "Véase también",
    "in_the_text": "En el texto: {links}.",
    "page_reference": f"(p.{NBSP}{{page}})",
    "page_references": f"(pp.{NBSP}{{pages}})",
    "note_locator": f"{{page}}{NBSP}n.{NBSP}{{number}}",
    "note_locator_chapter": f"{{locator}} (cap.{NBSP}{{chapter}})",
    "note_locator_section": "{locator} ({section})",
    "continued": "{heading} (continuación)",
    "print_edition": "{title}, edición impresa, {trim}, {publisher}",
    "accessibility_summary": (
        "Esta publicación tiene un índice, un encabezado para cada sección y notas enlazadas con "
        "sus llamadas en ambos sentidos. {pictures} Se respetan los ajustes de fuente y color "
        "del sistema de lectura."
    ),
    "accessibility_pictures": "Cada imagen tiene un texto alternativo.",
    "accessibility_no_pictures": "Solo contiene texto, sin imágenes.",
    "accessibility_certified": (
        "Su conformidad con EPUB Accessibility 1.1 y las WCAG 2.2, nivel AA, está certificada "
        "por {certifier}."
    ),
    "preview": "Vista previa",
    "preview_index": "Índice onomástico",
    "index_marks": "Marcas de índice",
    "print_view": "vista impresa",
    "print_view_link": "Vista impresa",
    "ebook_view_link": "Vista de libro electrónico",
    "print_view_title": "{title} (vista impresa)",
    "error_title": "Error",
    "cannot_read": "No se puede leer el manuscrito:",
    "cannot_read_explanation": "la página muestra la última versión que se pudo leer.",
    "warnings": "Advertencias y consultas pendientes",
    "note_label": "Nota {number}",
    "in_the_notes": "En las notas",
    "updating": "actualizando…",
    "laying_out": "componiendo las páginas impresas…",
    "printed_page": "Página impresa {number}",
    "quick_proof": (
        "prueba rápida de esta sección (números de página de la última composición); componiendo el libro…"
    ),
    "open_queries": "Consultas pendientes",
    "query_number": "C{number}",
    "proof_slug": "Prueba, no apta para imprenta",
    "query_label": "Consulta editorial: {query}",
}

ITALIAN = {
    "contents": "Indice",
    "title_page": "Frontespizio",
    "copyright": "Crediti",
    "chronology": "Cronologia",
    "notes": "Note",
    "index": "Indice dei nomi",
    "cover": "Copertina",
    "title_page_label": "Frontespizio",
    "landmarks": "Punti di riferimento",
    "page_list": "Elenco delle pagine",
    "cover_alt": "Copertina di {title}, di {author}",
    "title_and_subtitle": "{title}. {subtitle}",
    "copyright_notice": "© {year} {holder}",
    "published_by": "Pubblicato da {publisher}",
    "isbn_print": "ISBN {isbn} (brossura)",
    "isbn_ebook": "ISBN {isbn} (e-book, EPUB)",
    "identifier": "Identificativo {format}: {identifier}",
    "set_in": "Composto in {family}.",
    "typefaces": "{family}, con {fallbacks}",
    "notes_to_page": "Note alla pagina {span}",
    "notes_to_pages": "Note alle pagine {span}",
    "back_to_reference": "Torna al richiamo {number}{letter}",
    "see": "Vedi",
    "see_also": "Vedi anche",
    "in_the_text": "Nel testo: {links}.",
    "page_reference": f"(p.{NBSP}{{page}})",
    "page_references": f"(pp.{NBSP}{{pages}})",
    "note_locator": f"{{page}}{NBSP}n.{NBSP}{{number}}",
    "note_locator_chapter": f"{{locator}} (cap.{NBSP}{{chapter}})",
    "note_locator_section": "{locator} ({section})",
    "continued": "{heading} (segue)",
    "print_edition": "{title}, edizione a stampa, {trim}, {publisher}",
    "accessibility_summary": (
        "Questa pubblicazione ha un indice, un titolo per ogni sezione e note collegate ai loro "
        "richiami in entrambe le direzioni. {pictures} Le impostazioni di carattere e di colore "
        "del sistema di lettura sono rispettate."
    ),
    "accessibility_pictures": "Ogni immagine ha un testo alternativo.",
    "accessibility_no_pictures": "Contiene solo testo, senza immagini.",
    "accessibility_certified": (
        "La sua conformità a EPUB Accessibility 1.1 e alle WCAG 2.2, livello AA, è certificata "
        "da {certifier}."
    ),
    "preview": "Anteprima",
    "preview_index": "Indice dei nomi",
    "index_marks": "Marcatori d’indice",
    "print_view": "vista di stampa",
    "print_view_link": "Vista di stampa",
    "ebook_view_link": "Vista e-book",
    "print_view_title": "{title} (vista di stampa)",
    "error_title": "Errore",
    "cannot_read": "Il manoscritto non può essere letto:",
    "cannot_read_explanation": "la pagina mostra l’ultima versione leggibile.",
    "warnings": "Avvisi e domande aperte",
    "note_label": "Nota {number}",
    "in_the_notes": "Nelle note",
    "updating": "aggiornamento…",
    "laying_out": "impaginazione delle pagine stampate…",
    "printed_page": "Pagina stampata {number}",
    "quick_proof": (
        "bozza rapida di questa sezione (numeri di pagina dell’ultima impaginazione)"
        "; impaginazione del libro…"
    ),
    "open_queries": "Domande aperte",
    "query_number": "D{number}",
    "proof_slug": "Bozza, non per la stampa",
    "query_label": "Domanda redazionale: {query}",
}

TRANSLATIONS = {"fr": FRENCH, "de": GERMAN, "es": SPANISH, "it": ITALIAN}
