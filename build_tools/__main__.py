"""``python -m build_tools`` runs the ``book`` command."""

from build_tools.entry import run

run()
