"""``python -m build_tools`` runs the ``book`` command."""

from .cli import run

run()
