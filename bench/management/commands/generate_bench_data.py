"""``manage.py generate_bench_data``: the benchmarks' dataset (``bench.dataset``).

See ``bench.dataset`` for what it holds; ``--manifest`` writes what the load generator
needs (usernames, opportunity and criterion ids) as JSON.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bench.dataset import DEFAULT_PASSWORD, EXTRA_CRITERIA, DatasetGenerator, Sizes
from opportunities.criteria.services import DEFAULT_CRITERIA


class Command(BaseCommand):
    help = "Generate a realistic benchmark dataset (users, criteria, opportunities, history)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=50, help="Ordinary users (default 50).")
        parser.add_argument(
            "--opportunities", type=int, default=60, help="Opportunities per user (default 60)."
        )
        parser.add_argument(
            "--criteria", type=int, default=10, help="Active criteria per user (default 10)."
        )
        parser.add_argument(
            "--checkpoints",
            type=int,
            default=3,
            help="At most this many checkpoints per opportunity (default 3).",
        )
        parser.add_argument(
            "--decided",
            type=float,
            default=0.3,
            help="Share of opportunities with a decision recorded (default 0.3).",
        )
        parser.add_argument(
            "--compare-sizes",
            default="5,50,500",
            help="One extra user per size, holding that many open opportunities (default "
            "5,50,500; empty for none).",
        )
        parser.add_argument(
            "--range-sizes",
            default="",
            help="One extra user per size, holding that many open opportunities whose scores "
            "are partly unsure, with a range (bench.uncertainty; default none; `make bench` "
            "asks for 5,50).",
        )
        parser.add_argument(
            "--judgement-forecasts",
            type=int,
            default=0,
            help="One extra user whose decisions have aged, with this many resolved forecasts "
            "and check-ins done (bench.judgement; default 0 for none; `make bench` asks for 50).",
        )
        parser.add_argument("--prefix", default="bench", help="Username prefix (default bench).")
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Every user's password.")
        parser.add_argument(
            "--story",
            type=int,
            default=300,
            help="Entries written by hand in the story of one opportunity per ordinary user "
            "(default 300; the others get a few).",
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed (default 7).")
        parser.add_argument("--manifest", type=Path, help="Write usernames and ids here as JSON.")

    def handle(self, *args, **options) -> None:
        try:
            compare_sizes = tuple(
                int(size) for size in options["compare_sizes"].split(",") if size.strip()
            )
        except ValueError as exc:
            raise CommandError("--compare-sizes takes whole numbers, e.g. 5,50,500.") from exc
        try:
            range_sizes = tuple(
                int(size) for size in options["range_sizes"].split(",") if size.strip()
            )
        except ValueError as exc:
            raise CommandError("--range-sizes takes whole numbers, e.g. 5,50.") from exc
        sizes = Sizes(
            users=options["users"],
            opportunities=options["opportunities"],
            criteria=options["criteria"],
            checkpoints=options["checkpoints"],
            decided_share=options["decided"],
            story=options["story"],
            compare_sizes=compare_sizes,
            range_sizes=range_sizes,
            judgement_forecasts=options["judgement_forecasts"],
        )
        problems = [
            f"--{name} must be at least {low} (got {value})"
            for name, value, low in (
                ("users", sizes.users, 0),
                ("opportunities", sizes.opportunities, 1),
                ("criteria", sizes.criteria, 1),
                ("checkpoints", sizes.checkpoints, 0),
                ("story", sizes.story, 0),
                ("judgement-forecasts", sizes.judgement_forecasts, 0),
            )
            if value < low
        ]
        if not 0 <= sizes.decided_share <= 1:
            problems.append("--decided must be between 0 and 1")
        if any(size < 1 for size in compare_sizes):
            problems.append("--compare-sizes must be positive")
        if any(size < 1 for size in range_sizes):
            problems.append("--range-sizes must be positive")
        if sizes.criteria > len(DEFAULT_CRITERIA) + len(EXTRA_CRITERIA):
            problems.append(
                f"--criteria can be at most {len(DEFAULT_CRITERIA) + len(EXTRA_CRITERIA)}"
            )
        if problems:
            raise CommandError("; ".join(problems) + ".")

        started = time.perf_counter()
        generator = DatasetGenerator(
            sizes=sizes,
            prefix=options["prefix"],
            password=options["password"],
            rng=random.Random(options["seed"]),
        )
        manifest = generator.generate()
        elapsed = time.perf_counter() - started
        counts = ", ".join(f"{count} {name}" for name, count in generator.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Generated {counts} in {elapsed:.1f} s."))
        if options["manifest"]:
            options["manifest"].write_text(json.dumps(manifest, indent=1))
            self.stdout.write(f"Manifest written to {options['manifest']}.")
