"""The collector held during a layout and put back after it (build_tools/layout/gcpolicy.py)."""

from __future__ import annotations

import gc

import pytest

from build_tools.layout import gcpolicy


def test_collection_is_held_in_the_block_and_put_back_however_it_ends() -> None:
    assert gc.isenabled()
    with gcpolicy.layout_collection():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gcpolicy.layout_collection():
        raise ValueError("a layout that fails")
    assert gc.isenabled()


def test_a_collector_turned_off_stays_off() -> None:
    gc.disable()
    try:
        with gcpolicy.layout_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_nested_and_as_a_decorator() -> None:
    @gcpolicy.layout_collection()
    def layout() -> bool:
        with gcpolicy.layout_collection():
            pass
        return gc.isenabled()

    assert layout() is False
    assert gc.isenabled()
