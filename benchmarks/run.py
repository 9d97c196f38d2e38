"""Run the explanation benchmark: ``python -m benchmarks.run [--reduced]`` (``make bench``).

Every explanation method of the book on every model of the book, judged by the same
metrics (:mod:`ecomxai.evaluate`): faithfulness, stability, the randomisation sanity
check, agreement with planted truth, and time per explanation. Writes

* ``explanations.json`` -- per model x method: the metrics, each a mean with its sample
  size and bootstrap 95% interval;
* ``per_input.json`` -- the per-input values behind them (paired comparisons);
* ``speed.json`` -- our implementations against Captum, shap and lime on the same inputs
  (medians of repeated calls with their spread, ratios from the same process).

The full run writes to ``benchmarks/results/`` (committed); ``--reduced`` runs tiny sizes
(the test suite uses it) and writes to a temporary folder unless ``--out`` is given.
A model whose module is not importable is listed under ``"missing"`` with the reason.
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any, Callable

SCHEMA_VERSION = 2
RESULTS = Path(__file__).resolve().parent / "results"

#: model name -> (case module under benchmarks.cases, harness evaluator name)
CASES: dict[str, tuple[str, str]] = {
    "sales_mlp": ("benchmarks.cases.sales_mlp", "evaluate_tabular"),
    "transformer_recommender": ("benchmarks.cases.seqrec", "evaluate_sequence"),
    "bert_classifier": ("benchmarks.cases.text", "evaluate_sequence"),
    "explainer_network": ("benchmarks.cases.explainer_net", "evaluate_tabular"),
}


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    out = {"python": platform.python_version()}
    for name in ("numpy", "torch", "tensorflow", "keras", "transformers", "shap", "lime",
                 "captum"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def run_benchmark(reduced: bool = False, models: list[str] | None = None,
                  speed: bool = True, log: Callable[[str], None] | None = None,
                  explanations: bool = True
                  ) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Run the benchmark in-process and return ``(explanations, speed)`` dictionaries.

    ``explanations["per_input"]`` holds the per-input values (model -> method -> metric);
    ``explanations=False`` runs the speed part alone (``make bench-speed``)."""
    import ecomxai  # noqa: F401, PLC0415 - offline and quiet environment first
    from benchmarks import harness  # noqa: PLC0415
    from ecomxai.runtime import seed_everything  # noqa: PLC0415

    if log is None:
        def log(message: str) -> None:
            print(message, flush=True)
    profile = harness.Profile.get(reduced)
    chosen = (models or list(CASES)) if explanations else []
    unknown = [m for m in chosen if m not in CASES]
    if unknown:
        raise LookupError(f"unknown model(s) {unknown}; choose from {list(CASES)}")
    start = time.perf_counter()
    results: dict[str, Any] = {}
    per_input: dict[str, Any] = {}
    missing: dict[str, str] = {}
    for name in chosen:
        module_name, evaluator = CASES[name]
        seed_everything(0)
        t0 = time.perf_counter()
        try:
            module = importlib.import_module(module_name)
            case = module.build(profile)
        except (ImportError, LookupError, FileNotFoundError) as err:
            missing[name] = f"{type(err).__name__}: {err}"
            log(f"!! {name} skipped: {missing[name]}")
            continue
        log(f">> {name} ({time.perf_counter() - t0:.1f} s to load or train)")
        results[name] = getattr(harness, evaluator)(case, profile, log)
        per_input[name] = results[name].pop("per_input")
        results[name]["seconds"] = round(time.perf_counter() - t0, 1)
    accuracy: dict[str, Any] = {}
    if not reduced and "explainer_network" in results:   # trains a second click model
        from benchmarks.accuracy import click_auc_alone_vs_joint  # noqa: PLC0415

        log(">> accuracy: click recommender alone vs with its explainer")
        accuracy["click_auc"] = harness._round(click_auc_alone_vs_joint(profile))
    report = {
        "schema_version": SCHEMA_VERSION,
        "profile": profile.name,
        "command": "python -m benchmarks.run" + (" --reduced" if reduced else ""),
        "environment": _versions(),
        "sizes": profile.__dict__,
        "models": results,
        "missing": missing,
        "accuracy": accuracy,
        "seconds": round(time.perf_counter() - start, 1),
        "per_input": per_input,
    }
    speed_result = None
    if speed:
        from benchmarks.speed import run_speed  # noqa: PLC0415

        seed_everything(0)
        t0 = time.perf_counter()
        speed_result = {"schema_version": SCHEMA_VERSION, "profile": profile.name,
                        "environment": report["environment"],
                        **harness._round(run_speed(profile, log)),
                        "seconds": 0.0}
        speed_result["seconds"] = round(time.perf_counter() - t0, 1)
    return (report if explanations else None), speed_result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reduced", action="store_true",
                        help="tiny sizes (seconds, for the test suite); no seed re-training")
    parser.add_argument("--models", default="",
                        help=f"comma-separated subset of {','.join(CASES)}")
    parser.add_argument("--no-speed", action="store_true", help="skip speed.json")
    parser.add_argument("--speed-only", action="store_true",
                        help="only the speed comparisons (make bench-speed)")
    parser.add_argument("--out", default="", help="output folder (default: "
                        "benchmarks/results for a full run, a temporary folder if reduced)")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else (
        Path(tempfile.mkdtemp(prefix="bench-")) if args.reduced else RESULTS)
    out.mkdir(parents=True, exist_ok=True)
    models = [m.strip() for m in args.models.split(",") if m.strip()] or None
    try:
        explanations, speed = run_benchmark(args.reduced, models, not args.no_speed,
                                            explanations=not args.speed_only)
    except Exception:  # noqa: BLE001 - print the traceback, fail the command
        traceback.print_exc()
        return 1
    if explanations is not None:
        per_input = explanations.pop("per_input")
        (out / "explanations.json").write_text(json.dumps(explanations, indent=1) + "\n")
        (out / "per_input.json").write_text(json.dumps(per_input, separators=(",", ":")) + "\n")
        print(f">> wrote {out / 'explanations.json'} and per_input.json")
        if explanations["missing"]:
            print(f">> missing models: {', '.join(explanations['missing'])}")
    if speed is not None:
        target = out / "speed.json"
        if args.speed_only and target.exists():   # keep the previous run for side-by-side
            target.replace(out / "speed_previous.json")
        target.write_text(json.dumps(speed, indent=1) + "\n")
        print(f">> wrote {out / 'speed.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
