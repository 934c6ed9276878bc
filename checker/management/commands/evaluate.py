import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from checker.analysis import assess, model
from checker.analysis.evaluation import Labelled, format_report, genre_table, score


class Command(BaseCommand):
    help = (
        "Measure the engine on a labelled JSON Lines file ({id, text, risk, patterns}): high-risk recall, "
        "low texts judged high, level accuracy, pattern precision/recall/F1, confusion table. "
        "With --cv K, cross-validate on the training corpus instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="*", type=Path, help="labelled JSON Lines files (risk or label, patterns)")
        parser.add_argument("--cv", type=int, default=0, help="K-fold cross-validation on content/training/")
        parser.add_argument(
            "--show", action="store_true", help="list the texts judged wrongly, with the verdict's reasons"
        )
        parser.add_argument(
            "--by-genre",
            action="store_true",
            help="also a table per genre (the records' genre field, or the file name)",
        )

    def handle(self, *args, file=(), cv=0, show=False, by_genre=False, **options):
        genres: dict[str, str] = {}
        if cv:
            items, predicted = self._cross_validate(cv)
        elif file:
            items = []
            for path in file:
                items += self._read(path, genres)
            predicted = {r.id: assess(r.text).to_dict() for r in items}
        else:
            raise CommandError("give labelled FILE.jsonl files, or --cv K")
        self.stdout.write(format_report(score(items, predicted)))
        if by_genre:
            self.stdout.write(genre_table(items, genres, predicted))
        if show:
            for r in items:
                got = predicted[r.id]
                ids = sorted(p["id"] for p in got["patterns"])
                if got["risk_level"] != r.risk or (r.risk == "high" and set(ids) != set(r.patterns)):
                    reasons = "; ".join(got.get("reasons", []))
                    self.stdout.write(
                        f"  {r.risk}->{got['risk_level']} {sorted(r.patterns)}->{ids} [{reasons}]: {r.text}"
                    )

    def _read(self, path: Path, genres: dict[str, str]) -> list[Labelled]:
        items = []
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    raw = json.loads(line)
                    # Ids are made unique per file, so several files can be measured together.
                    rid = f"{path.stem}:{raw['id']}"
                    risk = raw["risk"] if "risk" in raw else raw["label"]
                    items.append(Labelled(rid, raw["text"], risk, tuple(raw.get("patterns", []))))
                    genres[rid] = raw.get("genre") or path.stem
                except (ValueError, KeyError) as exc:
                    raise CommandError(f"{path}:{n}: not a labelled record ({exc})") from None
        return items

    def _cross_validate(self, k: int):
        from sklearn.model_selection import StratifiedKFold

        from checker.analysis.engine import Engine
        from checker.analysis.training import build_payload

        examples = model.load_training_examples()
        items = [Labelled(str(i), e.text, e.risk, e.patterns) for i, e in enumerate(examples)]
        predicted: dict[str, dict] = {}
        folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=0)
        for n, (train, test) in enumerate(folds.split(examples, [e.risk for e in examples]), 1):
            engine = Engine(model.from_payload(build_payload([examples[i] for i in train])))
            for i in test:
                predicted[str(i)] = engine.assess(examples[i].text).to_dict()
            self.stderr.write(f"fold {n}/{k} done")
        return items, predicted
