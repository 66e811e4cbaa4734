"""``python -m build_tools`` runs the ``book`` command."""

from build_tools.cli import run

run()
