"""``psc-looper train melody|improv|folk|drums``: build the data, train, bundle, evaluate.

Tooling for the bundles we ship (see psc_looper/bundles/MODEL_CARD.md); needs the
training extras (``requirements/train.txt``: music21) and, for drums, Debian's mma.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from psc_looper.bundles import BUNDLE_DIR
from psc_looper.training import runs

if TYPE_CHECKING:
    from psc_looper.models import DrumsModel

log = logging.getLogger(__name__)

SWING_GROOVE = "stdlib/modernjazz:ModernJazz"  # ride-cymbal swing
ROCK_GROOVE = "stdlib/basicrock:BasicRock"
STYLE_SEEDS = 8


def register(sub: argparse._SubParsersAction) -> None:
    train = sub.add_parser("train", help="train a default model and bundle it")
    train.add_argument("kind", choices=sorted(runs.SPECS),
                       help="the model to train: %(choices)s")
    train.add_argument("--steps", type=int, default=None,
                       help="total training steps (default: the shipped model's)")
    train.add_argument("--minutes", type=float, default=None,
                       help="stop training after this many minutes (the bundle is still written)")
    train.add_argument("--output", type=Path, default=None,
                       help="bundle path (default: psc_looper/bundles/<kind>.mag)")
    train.add_argument("--work-dir", type=Path, default=None,
                       help="records, held-out list and checkpoints (default: ~/.cache/psc-looper)")
    train.add_argument("--limit-files", type=int, default=None,
                       help="melodies: parse only about this many corpus files or solos")
    train.add_argument("--evaluate", action="store_true", help="evaluate the bundle afterwards")
    train.add_argument("--evaluate-only", action="store_true",
                       help="do not train: evaluate the existing bundle")
    train.add_argument("--primers", type=int, default=48,
                       help="held-out primers for the generation metrics")
    train.add_argument("--compare", action="store_true",
                       help="melody/improv: do not train; the jazz melody, ImprovRNN, folk and "
                            "Markov models side by side on the held-out solos")
    train.add_argument("--bundle-dir", type=Path, default=BUNDLE_DIR,
                       help="--compare: where melody.mag, improv.mag and folk.mag are "
                            "(default: the shipped ones)")
    train.set_defaults(func=main)


def _pieces(kind: str, limit_files: int | None) -> list:
    def progress(done: int, total: int) -> None:
        if done == total or done % 50 == 0:
            print(f"{kind}: data {done}/{total} files", flush=True)

    source = runs.SPECS[kind].source
    if source == "mma":
        from psc_looper.training.grooves import drum_pieces

        return drum_pieces(progress=progress)
    if source == "folk":
        from psc_looper.training.corpus import melody_pieces

        return melody_pieces(limit_files=limit_files, progress=progress)
    from psc_looper.training.wjazzd import solo_pieces

    pieces = solo_pieces()[0]
    return pieces[:limit_files] if limit_files else pieces


def main(args: argparse.Namespace) -> int:
    spec = runs.SPECS[args.kind]
    folder = args.work_dir / args.kind if args.work_dir else runs.work_dir(args.kind)
    output = args.output or BUNDLE_DIR / f"{args.kind}.mag"
    try:
        pieces = _pieces(args.kind, args.limit_files)
    except (ModuleNotFoundError, FileNotFoundError) as e:
        log.error("%s", e)
        return 2
    dataset = runs.prepare(spec, pieces, folder)
    print(f"{args.kind}: {len(dataset.training)} training pieces, {len(dataset.held_out)} "
          f"held out (listed in {folder / runs.HELD_OUT_LIST})", flush=True)
    if spec.source == "wjazzd":
        _report_performers(dataset)
    if not (args.evaluate_only or args.compare):
        deadline = time.monotonic() + args.minutes * 60 if args.minutes else None
        step = runs.train(spec, dataset.records[runs.TRAIN], folder / "checkpoints", output,
                          steps=args.steps, deadline=deadline,
                          report=lambda p: print(p.line(args.kind), flush=True))
        print(f"{args.kind}: wrote {output} at step {step}", flush=True)
    output.with_suffix(".heldout.txt").write_text((folder / runs.HELD_OUT_LIST).read_text())
    if args.evaluate or args.evaluate_only:
        report = evaluate(spec, dataset, pieces, output, args.primers)
        (folder / "evaluation.md").write_text(report)
        print(report, flush=True)
    if args.compare and spec.source == "wjazzd":
        report = compare(pieces, args.work_dir, args.primers, args.bundle_dir)
        (folder / "comparison.md").write_text(report)
        print(report, flush=True)
    return 0


COMPARED = {"jazz MelodyRNN": "melody", "ImprovRNN (true chords)": "improv",
            "folk MelodyRNN": "folk"}


def compare(pieces: list, work_dir: Path | None, primers: int, bundles: Path = BUNDLE_DIR,
            ) -> str:
    """The side-by-side report (markdown) of the shipped jazz bundles, the folk one and
    Markov models on the held-out solos (see psc_looper.training.comparison)."""
    from psc_looper.models import ImprovModel, MelodyModel
    from psc_looper.training import comparison, evaluation

    data = {kind: runs.prepare(runs.SPECS[kind], pieces,
                               work_dir / kind if work_dir else runs.work_dir(kind))
            for kind in ("melody", "improv")}
    models = {name: (ImprovModel if kind == "improv" else MelodyModel).load(
        bundles / f"{kind}.mag", engine="magenta") for name, kind in COMPARED.items()}
    try:
        scores = []
        for name, kind in COMPARED.items():
            records = data["improv" if kind == "improv" else "melody"].records
            spec = runs.SPECS[kind]
            table = evaluation.likelihood_table(name, models[name], spec.config_id,
                                                records[runs.TRAIN], records[runs.HELD_OUT])
            scores += table if kind != "folk" else table[:1]
        found = comparison.windows(spread(data["melody"].held_out, primers), 64, 64)
        contenders = {name: comparison.model_contender(model) for name, model in models.items()}
        contenders["Markov order 3"] = comparison.markov_contender(3, data["melody"].training)
        columns = comparison.generation_columns(contenders, found, 64, 64)
    finally:
        for model in models.values():
            model.close()
    return "\n".join([
        "### held-out likelihood (jazz and folk MelodyRNN and their Markov rows on the melody "
        "records; ImprovRNN and its Markov rows on the lead-sheet records)\n",
        evaluation.score_table(scores),
        f"\n### {len(found)} held-out 4-bar primers, 4 bars generated over the solo's own "
        "chords (no snapping), beside the soloists\n",
        evaluation.metrics_table(columns)]) + "\n"


def evaluate(spec: runs.ModelSpec, dataset: runs.Dataset, pieces: list, bundle: Path,
             primers: int) -> str:
    """The evaluation report (markdown) of ``bundle`` on the held-out data."""
    from psc_looper.models import DrumsModel, MelodyModel
    from psc_looper.training import evaluation

    # the likelihood table reads magenta's TF session: evaluate on the magenta path
    model: DrumsModel | MelodyModel = (DrumsModel if spec.drums else MelodyModel).load(
        bundle, engine="magenta")
    try:
        scores = evaluation.likelihood_table(
            f"{spec.config_id} {list(spec.rnn_layer_sizes)}", model, spec.config_id,
            dataset.records[runs.TRAIN], dataset.records[runs.HELD_OUT])
        sections = [f"### {spec.kind}: held-out likelihood\n", evaluation.score_table(scores)]
        chosen = spread(dataset.held_out, primers)
        if isinstance(model, DrumsModel):  # spec.drums
            columns = evaluation.drums_generation(model, chosen, 32, 32)
            sections += [f"\n### drums: {len(chosen)} held-out primers of 2 bars, 2 bars "
                         "generated\n", evaluation.metrics_table(columns),
                         "\n### drums: style of the continuation (hits per bar)\n",
                         evaluation.metrics_table(_style_columns(model, pieces))]
        else:
            columns = evaluation.melody_generation(model, chosen, 64, 64)
            sections += [f"\n### melody: {len(chosen)} held-out primers of 4 bars, 4 bars "
                         "generated\n", evaluation.metrics_table(columns)]
    finally:
        model.close()
    return "\n".join(sections) + "\n"


def _report_performers(dataset: runs.Dataset) -> None:
    """The performer-disjoint check of a split by solo: who is on both sides."""
    from psc_looper.training.wjazzd import shared_performers, solo_infos

    infos = solo_infos()
    shared = shared_performers(dataset.training, dataset.held_out, infos)
    alone = sum(infos[p.id].performer not in shared for p in dataset.held_out)
    print(f"held-out solos by performers absent from training: {alone} of "
          f"{len(dataset.held_out)}; performers on both sides: {len(shared)}", flush=True)


def spread(items: list, count: int) -> list:
    """``count`` items evenly spread over ``items`` (all of them if fewer)."""
    if count >= len(items):
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def _style_columns(model: DrumsModel, pieces: list) -> dict[str, dict[str, float]]:
    """Swing and rock primers: what the model continues with, beside the grooves."""
    from psc_looper.training import evaluation
    from psc_looper.training.metrics import drum_metrics, mean_metrics

    columns = {}
    by_id = {p.id: p for p in pieces}
    for label, groove in (("swing", SWING_GROOVE), ("rock", ROCK_GROOVE)):
        if groove not in by_id:
            log.warning("groove %s not found; style check skipped", groove)
            continue
        runs_ = [evaluation.drums_continuation(model, by_id[groove], 32, 32, seed)
                 for seed in range(STYLE_SEEDS)]
        columns[f"{label} primer: model"] = mean_metrics([drum_metrics(c, 32) for c, _ in runs_])
        columns[f"{label} groove itself"] = drum_metrics(runs_[0][1], 32)
    return columns
