"""Checks: editorial checks of the manuscript, and preflight of a built PDF."""
