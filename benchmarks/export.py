"""Time `jeugdstem export` on 100,000 answers, and show that its memory stays flat.

    python -m benchmarks.export [--answers 100000] [--participants 20000]
                                [--database sqlite|postgresql|both]

For each database it fills two throwaway databases with synthetic data
(bot/demo.py): one with --answers answers from --participants participants, one
with a fifth of both. It then runs the real command, `python -m cli export
--format F -o OUT` with DATABASE_URL in its environment, once per format and
database, one at a time, and prints wall time and the child's peak RSS (from
its VmHWM, sampled until it exits). If the export streams, peak RSS barely grows
from the small database to the big one: the table prints that ratio, and the
peak RSS of `jeugdstem export --help` as the cost of starting up at all. The
targets of the exports issue are printed beside the figures, not asserted.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.commands import Run, postgres_databases, run_jeugdstem
from tests.support.postgres import PostgresServer
from tests.support.seeding import seed_demo

# The exports issue: seconds for 100,000 answers.
TARGETS = {"csv": 5.0, "jsonl": 5.0, "xlsx": 20.0}
FORMATS = ("csv", "xlsx", "jsonl", "html")
SMALL_SHARE = 5  # the small database holds a fifth of the big one


@dataclass(frozen=True)
class Row:
    """One export measured."""

    database: str
    format: str
    answers: int
    run: Run
    output_mb: float
    rows: int | None  # lines of data in a CSV or JSONL file


def size_mb(path: Path) -> float:
    """Bytes written, a file or a folder's files, in MB."""
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6
    return path.stat().st_size / 1e6 if path.exists() else 0.0


def data_lines(path: Path, format: str) -> int | None:
    """Records in a CSV (minus its header) or JSONL file, as a sanity check."""
    if format not in ("csv", "jsonl") or not path.is_file():
        return None
    with path.open("rb") as stream:
        lines = sum(1 for _ in stream)
    return lines - 1 if format == "csv" else lines


def measure(
    database: str,
    urls: dict[int, str],
    wanted: list[str],
    workdir: Path,
) -> list[Row]:
    """Every format on every size of this database, one after another."""
    rows = []
    for format in wanted:
        for answers, url in urls.items():
            output = workdir / f"{database}-{answers}.{format}"
            if format == "html":
                output = workdir / f"{database}-{answers}-html"
            log = workdir / f"{database}-{answers}-{format}.log"
            run = run_jeugdstem(["export", "--format", format, "-o", str(output)], url, log)
            if run.returncode != 0:
                print(f"! {database} {format} {answers}: exit {run.returncode}\n{run.log[-2000:]}")
            rows.append(
                Row(database, format, answers, run, size_mb(output), data_lines(output, format))
            )
    return rows


def report(rows: list[Row], baseline: Run, fills: list[tuple[str, int, int, float]]) -> None:
    """The table."""
    for database, participants, answers, seconds in fills:
        filled = f"{answers:,} answers / {participants:,} participants"
        print(f"fill     {database:<10} {filled}: {seconds:.1f} s (bot/demo.py)")
    print(
        f"baseline `jeugdstem export --help` (start-up only): {baseline.seconds:.2f} s, "
        f"{baseline.cpu_seconds:.2f} s CPU, peak RSS {baseline.peak_rss_mb:.0f} MB"
    )
    print()
    header = (
        f"{'database':<10} {'format':<6} {'answers':>9} {'wall s':>7} {'CPU s':>6} {'target':>8} "
        f"{'peak RSS MB':>11} {'RSS big/small':>13} {'RSS - base':>10} {'output MB':>9} {'rows':>8}"
    )
    print(header)
    print("-" * len(header))
    by_key = {(r.database, r.format, r.answers): r for r in rows}
    for row in rows:
        sizes = sorted(a for d, f, a in by_key if d == row.database and f == row.format)
        big = row.answers == sizes[-1]
        target = TARGETS.get(row.format)
        target_text = f"< {target:.0f} s" if big and target is not None else ""
        ratio = ""
        if big and len(sizes) > 1:
            small = by_key[(row.database, row.format, sizes[0])]
            ratio = f"{row.run.peak_rss_mb / small.run.peak_rss_mb:.2f}"
        failed = "" if row.run.returncode == 0 else f"  FAILED (exit {row.run.returncode})"
        print(
            f"{row.database:<10} {row.format:<6} {row.answers:>9,} {row.run.seconds:>7.2f} "
            f"{row.run.cpu_seconds:>6.2f} "
            f"{target_text:>8} {row.run.peak_rss_mb:>11.0f} {ratio:>13} "
            f"{row.run.peak_rss_mb - baseline.peak_rss_mb:>10.0f} {row.output_mb:>9.1f} "
            f"{'' if row.rows is None else f'{row.rows:,}':>8}{failed}"
        )


def run(arguments: argparse.Namespace, workdir: Path) -> None:
    """Fill, export, print."""
    databases = ["sqlite", "postgresql"] if arguments.database == "both" else [arguments.database]
    sizes = [
        (arguments.participants, arguments.answers),
        (max(1, arguments.participants // SMALL_SHARE), arguments.answers // SMALL_SHARE),
    ]
    wanted = list(FORMATS)
    baseline = run_jeugdstem(["export", "--help"], "sqlite://", workdir / "baseline.log")
    rows: list[Row] = []
    fills: list[tuple[str, int, int, float]] = []
    for database in databases:
        server: PostgresServer | None = None
        try:
            if database == "postgresql":
                server = PostgresServer.start()
                names = [f"bench_{answers}" for _, answers in sizes]
                urls = dict(
                    zip((a for _, a in sizes), postgres_databases(server, names), strict=True)
                )
            else:
                urls = {
                    answers: f"sqlite:///{workdir / f'bench-{answers}.db'}" for _, answers in sizes
                }
            for participants, answers in sizes:
                fills.append(
                    (
                        database,
                        participants,
                        answers,
                        seed_demo(urls[answers], participants, answers),
                    )
                )
            rows += measure(database, urls, wanted, workdir)
        finally:
            if server is not None:
                server.destroy()
    report(rows, baseline, fills)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases, exports and logs (~1 GB)"
    )
    arguments = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="jeugdstem-bench-export-"))
    try:
        run(arguments, workdir)
    finally:
        if arguments.keep:
            print(f"databases, exports and logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
