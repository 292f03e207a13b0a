"""A long-lived process running `houqin-xl` commands one after another, in process — as fast as
a test calls main(), yet a crash, an abort or a hang takes down only this process, which the
fuzz runner (tests/fuzz.py) replaces.

Protocol: one JSON line per command on stdin ({"argv": [...]}); one JSON line per result on
the stdout this process started with: {"status", "stdout", "stderr", "seconds", "peak_kb"}.
Everything the command writes to file descriptors 1 and 2 — Python's streams and whatever a
Rust library prints — is captured, because that is what the bursar would see.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
import traceback


def _run(argv: list[str]) -> dict:
    from houqin_xl.cli import main

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        started = time.perf_counter()
        try:
            status: object = main(argv)
        except SystemExit as exc:  # argparse's own exit
            status = exc.code if isinstance(exc.code, int) else 2
        except BaseException:  # noqa: BLE001 - what escaped main() is what the suite looks for
            traceback.print_exc()
            status = "escaped"
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return {"status": status, "stdout": out.read().decode("utf-8", "replace"),
                "stderr": err.read().decode("utf-8", "replace"), "seconds": seconds,
                "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}


def serve() -> None:
    answers = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    for line in sys.stdin:
        if not line.strip():
            continue
        answers.write(json.dumps(_run(json.loads(line)["argv"]), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    serve()
