"""Time `jeugdstem report` on 100,000 answers from 20,000 participants, with its peak memory.

    python -m benchmarks.report [--answers 100000] [--participants 20000]
                                [--database sqlite|postgresql|both]

For each database it fills a throwaway database with synthetic data
(bot/demo.py), then runs the real command, `python -m cli report -o OUT` (HTML
with charts) and `--format md`, with DATABASE_URL in its environment, one at a
time, and prints wall time and the child's peak RSS (its VmHWM, sampled until
it exits). PostgreSQL is a throwaway server on loopback
(tests/support/postgres.py). The target of the report issue (30 s) is printed
beside the figures, not asserted.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.commands import Run, postgres_databases, run_jeugdstem
from tests.support.postgres import PostgresServer
from tests.support.seeding import seed_demo

TARGET_SECONDS = 30.0


def measure(database: str, url: str, workdir: Path) -> list[tuple[str, Run, float]]:
    """The report as HTML and as Markdown on one database."""
    results = []
    for format, suffix in (("html", "html"), ("md", "md")):
        output = workdir / f"{database}.{suffix}"
        log = workdir / f"{database}-{format}.log"
        run = run_jeugdstem(["report", "--format", format, "-o", str(output)], url, log)
        if run.returncode != 0:
            print(f"! {database} {format}: exit {run.returncode}\n{run.log[-2000:]}")
        size = output.stat().st_size / 1e6 if output.exists() else 0.0
        results.append((format, run, size))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jeugdstem-report-bench-") as scratch:
        workdir = Path(scratch)
        baseline = run_jeugdstem(["report", "--help"], "sqlite://", workdir / "help.log")
        rows: list[tuple[str, float, str, Run, float]] = []
        server: PostgresServer | None = None
        try:
            databases = []
            if options.database in ("sqlite", "both"):
                databases.append(("sqlite", f"sqlite:///{workdir / 'bench.db'}"))
            if options.database in ("postgresql", "both"):
                server = PostgresServer.start()
                databases.append(("postgresql", postgres_databases(server, ["report_bench"])[0]))
            for name, url in databases:
                filled = seed_demo(url, options.participants, options.answers)
                for format, run, size in measure(name, url, workdir):
                    rows.append((name, filled, format, run, size))
        finally:
            if server is not None:
                server.destroy()
    print(
        f"{options.answers:,} answers from {options.participants:,} participants "
        f"(bot/demo.py); `jeugdstem report --help`: {baseline.seconds:.2f} s, "
        f"peak RSS {baseline.peak_rss_mb:.0f} MB"
    )
    header = (
        f"{'database':<10} {'fill s':>7} {'format':<6} {'wall s':>7} {'target':>8} "
        f"{'peak RSS MB':>11} {'output MB':>9} {'exit':>4}"
    )
    print(header)
    print("-" * len(header))
    for name, filled, format, run, size in rows:
        print(
            f"{name:<10} {filled:>7.1f} {format:<6} {run.seconds:>7.1f} "
            f"{'< ' + str(int(TARGET_SECONDS)) + ' s':>8} {run.peak_rss_mb:>11.0f} "
            f"{size:>9.2f} {run.returncode:>4}"
        )


if __name__ == "__main__":
    main()
