"""The benchmarks are not tests: `python -m pytest` must never collect (or run) anything here.
Run them with `python -m tests.benchmarks.run` (see README.md)."""

collect_ignore_glob = ["*"]
