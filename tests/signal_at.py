"""Run the ``book`` command and send this very process a signal when a given line first runs.

    python signal_at.py SIGTERM zipfile:_ZipWriteFile.close:"_writing = False" build epub …

Not a test module: the durability tests run it as a subprocess to interrupt a build at the
exact moment they name (a function, and the first of its lines that contains a text), instead
of hoping that a signal sent from outside falls in some window. The line is found with a trace
function, armed once the temporary output exists (the writing, not the whole build, is traced);
``signal_at: sent …`` on stderr says that the moment came.
"""

from __future__ import annotations

import importlib
import inspect
import os
import signal
import sys
import tempfile
import threading
from types import FrameType
from typing import Any


def line_of(spec: str) -> tuple[Any, int]:
    """``module:Qualified.name:text`` → the function's code and the number of its first line
    that contains ``text``."""
    module_name, qualname, text = spec.split(":", 2)
    target: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        target = getattr(target, part)
    lines, first = inspect.getsourcelines(target)
    found = [first + i for i, line in enumerate(lines) if text in line]
    if not found:
        raise SystemExit(f"signal_at: no line with {text!r} in {module_name}.{qualname}")
    return target.__code__, found[0]


def arm(sig: signal.Signals, spec: str, at_once: bool = False) -> None:
    """Send ``sig`` to this process the first time the line of ``spec`` is about to run (once
    the temporary output exists, unless ``at_once``)."""
    code, number = line_of(spec)
    sent = False

    def on_line(frame: FrameType, event: str, arg: object) -> Any:
        nonlocal sent
        if event == "line" and frame.f_lineno == number and not sent:
            sent = True
            sys.settrace(None)
            print(f"signal_at: sent {sig.name} at {spec}", file=sys.stderr, flush=True)
            os.kill(os.getpid(), sig)
        return on_line

    def on_call(frame: FrameType, event: str, arg: object) -> Any:
        return on_line if frame.f_code is code and not sent else None

    create = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        created = create(*args, **kwargs)
        if not sent:
            sys.settrace(on_call)
        return created

    if at_once:
        sys.settrace(on_call)
        return
    tempfile.mkstemp = mkstemp  # type: ignore[assignment]


def arm_at_import(sig: signal.Signals, module: str) -> None:
    """Send ``sig`` when ``module`` is first imported: the moment before the command runs."""

    class Finder:
        @staticmethod
        def find_spec(name: str, path: object = None, target: object = None) -> None:
            if name == module:
                sys.meta_path.remove(Finder)
                print(f"signal_at: sent {sig.name} at import:{module}", file=sys.stderr, flush=True)
                os.kill(os.getpid(), sig)

    sys.meta_path.insert(0, Finder)


def main() -> None:
    """``SIGNAL SPEC COMMAND…``: SPEC is ``module:function:text`` (armed once the temporary
    output exists), ``start:module:function:text`` (armed at once) or ``import:module``."""
    sig, spec, *command = sys.argv[1:]
    if os.environ.get("SIGNAL_AT_THREAD"):
        # A thread that blocks no signal, as a library's native one: the kernel may hand it
        # a signal the main thread blocks.
        threading.Thread(target=threading.Event().wait, daemon=True).start()
    if spec.startswith("import:"):
        arm_at_import(signal.Signals[sig], spec.removeprefix("import:"))
    elif spec.startswith("start:"):
        arm(signal.Signals[sig], spec.removeprefix("start:"), at_once=True)
    else:
        arm(signal.Signals[sig], spec)
    from build_tools.entry import run  # the console script's: its handlers, its temporary folder

    sys.argv = ["book", *command]
    run()


if __name__ == "__main__":
    main()
