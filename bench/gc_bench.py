"""Python's garbage collector during the PDF build (issue 18 item 4): CPU and peak memory of
`book build pdf` under each collector policy, on the essay repeated 1, 10 and 20 times.

Run from the repository root as `.venv/bin/python bench/gc_bench.py [--sizes 1 10 20] [--runs 2]`.
Each build runs in a child process of its own (its CPU time and peak RSS from wait4); the
policies are applied to the calls that lay out and draw the book (`Renderer.render` and
`Document.write_pdf`), as the toolchain applies build_tools/layout/gcpolicy.py. The child also
counts the collections of each generation and the time they took (gc.callbacks).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import OUT, ROOT, make_twenty_chapters  # noqa: E402

# default: Python's own; frozen: gc.freeze() once the toolchain is imported (after a collection);
# paused: frozen, and gcpolicy.layout_collection() around each layout and write_pdf; held: that
# without the freeze; collected: held, with a full collection as each block begins (what the
# layout before left is freed before the next is made); raised: frozen, and thresholds (10000,
# 50, 100) for the whole build.
POLICIES = ("default", "held", "collected", "frozen", "paused", "raised")

CHILD = r"""
import gc, json, sys, time
from pathlib import Path
policy, source, out = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
from build_tools.libraries import install
install()
from build_tools.build import Project, build
from build_tools.layout import gcpolicy, weasy
from build_tools.writers.pdf import writer
import weasyprint
stats = {"collections": [0, 0, 0], "gc_s": 0.0}
started = [0.0]
def watch(phase, info):
    if phase == "start":
        started[0] = time.process_time()
    else:
        stats["collections"][info["generation"]] += 1
        stats["gc_s"] += time.process_time() - started[0]
gc.callbacks.append(watch)
if policy in ("frozen", "paused", "raised"):
    gc.collect()
    gc.freeze()
if policy in ("paused", "held", "collected"):
    render, write_pdf = weasy.Renderer.render, weasyprint.Document.write_pdf
    def paused_render(self, *args, **kwargs):
        if policy == "collected":
            gc.collect()
        with gcpolicy.layout_collection():
            return render(self, *args, **kwargs)
    def paused_write(self, *args, **kwargs):
        if policy == "collected":
            gc.collect()
        with gcpolicy.layout_collection():
            return write_pdf(self, *args, **kwargs)
    weasy.Renderer.render = paused_render
    weasyprint.Document.write_pdf = paused_write
if policy == "raised":
    gc.set_threshold(10_000, 50, 100)
project = Project(source, Path("styles").resolve(), out)
build(project, ("pdf",))
print(json.dumps(stats))
"""


def run_child(policy: str, source: Path, out: Path) -> dict[str, float]:
    """One build in a child process: its CPU seconds, peak RSS (MiB) and collector figures."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    log = out.parent / f"{out.name}.stderr"
    with open(log, "wb") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, policy, str(source), str(out)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        assert proc.stdout is not None
        printed = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise SystemExit(f"gc_bench: the {policy} build of {source} failed:\n{tail}")
    stats = json.loads(printed.strip().splitlines()[-1])
    return {
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "rss_mib": usage.ru_maxrss / 1024,
        "gc_s": stats["gc_s"],
        "full_collections": stats["collections"][2],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 20])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--policies", nargs="+", default=list(POLICIES), choices=POLICIES)
    args = parser.parse_args()
    results: dict[str, dict[str, list[dict[str, float]]]] = {}
    with tempfile.TemporaryDirectory(prefix="book-gc-bench-") as tmp:
        work = Path(tmp)
        for size in args.sizes:
            source = ROOT / "manuscript"
            if size > 1:
                source = make_twenty_chapters(ROOT / "manuscript", work / f"x{size}", size)
            results[f"{size}x"] = {policy: [] for policy in args.policies}
            for run in range(args.runs):  # policies interleaved: a machine's drift hits each alike
                for policy in args.policies:
                    measured = run_child(policy, source, work / f"out-{size}-{policy}-{run}")
                    results[f"{size}x"][policy].append(measured)
                    print(f"{size}x {policy} run {run + 1}: {measured}", file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gc.json").write_text(json.dumps(results, indent=2) + "\n")
    print(f"{'book':5} {'policy':8} {'CPU s':>7} {'vs default':>10} {'peak MiB':>9} {'GC s':>6} {'full':>5}")
    for size, by_policy in results.items():
        base = statistics.median(r["cpu_s"] for r in by_policy[args.policies[0]])
        for policy, runs in by_policy.items():
            cpu = statistics.median(r["cpu_s"] for r in runs)
            print(
                f"{size:5} {policy:8} {cpu:7.2f} {cpu / base:10.3f} "
                f"{statistics.median(r['rss_mib'] for r in runs):9.0f} "
                f"{statistics.median(r['gc_s'] for r in runs):6.2f} "
                f"{statistics.median(r['full_collections'] for r in runs):5.0f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
