"""Our implementations against the reference libraries, on the same inputs, in one process.

* integrated gradients: ``ecomxai.explain.gradients`` vs Captum :cite:`kokhlikyan2020captum`
  on a PyTorch MLP fitted to the catalogue (``IntegratedGradients``) and on the MiniLM
  review classifier's word-embedding layer (``LayerIntegratedGradients``): same baseline,
  same Gauss-Legendre nodes, float32 in both, all nodes in one batched pass in both;
* exact Shapley values: ``ecomxai.explain.shapley.exact_shapley`` vs ``shap``'s ``Exact``
  explainer, and ``KernelExplainer`` at several sample budgets, on the sales MLP (same
  background rows);
* LIME: number of perturbation samples vs time, fidelity of the local surrogate (its
  weighted :math:`R^2`), agreement with the exact Shapley values and run-to-run stability;
* the explainer network (one forward pass) vs KernelSHAP on the click model.

Every timing is the median of ``repeats`` calls after one warm-up call, reported with its
quartiles and extremes; the contenders of a comparison are timed in alternation (repeat
``r`` of A, then of B, ...), and the ratio is that of the medians. The clock is the CPU
time of the process (single-threaded: ``OMP_NUM_THREADS=1``), which other jobs on a
shared machine do not inflate; the wall time is recorded beside it. Times move from
machine to machine; the ratios are what carries over.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from benchmarks.harness import Profile
from ecomxai.evaluate.stability import rank_correlation

REPEATS = 9


def alternating_timings(contenders: dict[str, Callable[[], Any]], repeats: int,
                        n_items: int = 1) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """Warm up each contender once, then time them in alternation ``repeats`` times.

    Each call is timed twice: by the CPU time of this process (``time.process_time``: the
    work done, which other jobs on a shared machine do not inflate) and by the wall clock.
    Returns the last outputs and, per contender, ``{"median", "q1", "q3", "min", "max"}`` of
    the CPU time in milliseconds per item (``n_items`` inputs per call), ``"repeats"`` and
    the same statistics of the wall time under ``"wall"``.
    """
    if repeats < 5:
        raise ValueError("use at least 5 repeats: the median of fewer is noise")
    outputs = {name: fn() for name, fn in contenders.items()}          # warm-up
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    wall: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, fn in contenders.items():
            c0, w0 = time.process_time(), time.perf_counter()
            outputs[name] = fn()
            cpu[name].append(time.process_time() - c0)
            wall[name].append(time.perf_counter() - w0)

    def summary(ts: list[float]) -> dict[str, float]:
        t = 1000.0 * np.asarray(ts) / n_items
        q1, med, q3 = np.quantile(t, [0.25, 0.5, 0.75])
        return {"median": float(med), "q1": float(q1), "q3": float(q3),
                "min": float(t.min()), "max": float(t.max()), "repeats": int(repeats)}

    return outputs, {name: {**summary(cpu[name]), "clock": "process CPU time",
                            "wall": summary(wall[name])} for name in contenders}


def _ratio(stats: dict[str, dict[str, float]], a: str, b: str) -> float:
    return stats[a]["median"] / stats[b]["median"]


def _torch_mlp(seed: int = 0) -> tuple[Any, np.ndarray]:
    """A 10-64-32-1 PyTorch MLP fitted (full-batch Adam) to the standardised catalogue."""
    import torch  # noqa: PLC0415

    from ecomxai.data.catalog import make_catalog  # noqa: PLC0415

    cat = make_catalog(1000, seed=0)
    X = (cat.X - cat.X.mean(0)) / cat.X.std(0)
    y = (cat.sales - cat.sales.mean()) / cat.sales.std()
    torch.manual_seed(seed)
    net = torch.nn.Sequential(torch.nn.Linear(10, 64), torch.nn.ReLU(), torch.nn.Linear(64, 32),
                              torch.nn.ReLU(), torch.nn.Linear(32, 1))
    opt = torch.optim.Adam(net.parameters(), lr=1e-2)
    Xt = torch.as_tensor(X, dtype=torch.float32)
    yt = torch.as_tensor(y, dtype=torch.float32)[:, None]
    for _ in range(300):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(net(Xt), yt)
        loss.backward()
        opt.step()
    net.eval()
    return net, X


def ig_vs_captum(profile: Profile) -> dict[str, Any]:
    """Our integrated gradients vs Captum's ``IntegratedGradients`` on the same MLP."""
    import torch  # noqa: PLC0415
    from captum.attr import IntegratedGradients  # noqa: PLC0415

    from ecomxai.explain.adapters import TorchAdapter  # noqa: PLC0415
    from ecomxai.explain.gradients import integrated_gradients  # noqa: PLC0415

    net, X = _torch_mlp()
    rows = X[:(200 if profile.name == "full" else 20)]
    steps = 50
    # one batched pass over all rows x nodes in both (Captum: internal_batch_size=None)
    adapter = TorchAdapter(net, batch_size=len(rows) * steps, dtype=torch.float32)
    captum = IntegratedGradients(net)
    inputs = torch.as_tensor(rows, dtype=torch.float32)

    def ours() -> tuple[np.ndarray, np.ndarray]:
        return integrated_gradients(adapter, rows, 0.0, steps=steps, return_delta=True,
                                    batch_rows=len(rows) * steps)

    def theirs() -> tuple[np.ndarray, np.ndarray]:
        a, delta = captum.attribute(inputs, baselines=0.0, target=0, n_steps=steps,
                                    method="gausslegendre", return_convergence_delta=True)
        return a.detach().numpy(), delta.detach().numpy()

    out, stats = alternating_timings({"ours": ours, "captum": theirs}, REPEATS, len(rows))
    diff = np.abs(out["ours"][0] - out["captum"][0])
    return {
        "model": "PyTorch MLP 10-64-32-1 on the standardised catalogue",
        "rows": int(len(rows)), "steps": steps, "quadrature": "gausslegendre",
        "dtype": "float32",
        "ms_per_row": stats,
        "time_ratio_ours_over_captum": _ratio(stats, "ours", "captum"),
        "max_abs_difference": float(diff.max()),
        "max_relative_difference": float(diff.max() / np.abs(out["captum"][0]).max()),
        "ours_mean_abs_completeness_gap": float(np.abs(out["ours"][1]).mean()),
        "captum_mean_abs_convergence_delta": float(np.abs(out["captum"][1]).mean()),
    }


def layer_ig_vs_captum(profile: Profile) -> dict[str, Any]:
    """IG over MiniLM's word embeddings: ours (embedding-level model) vs Captum's
    ``LayerIntegratedGradients`` on ``encoder.embeddings.word_embeddings``, same ``[PAD]``
    baseline at content positions, same nodes, one batched pass each."""
    import torch  # noqa: PLC0415
    from captum.attr import LayerIntegratedGradients  # noqa: PLC0415

    from ecomxai.data.reviews import load_reviews  # noqa: PLC0415
    from ecomxai.explain.adapters import TorchAdapter  # noqa: PLC0415
    from ecomxai.explain.gradients import integrated_gradients  # noqa: PLC0415
    from ecomxai.models.text import FineTuneConfig, load_or_fine_tune  # noqa: PLC0415

    full = profile.name == "full"
    config = FineTuneConfig() if full else FineTuneConfig(n_train=32)
    clf = load_or_fine_tune(config, progress=False).classifier
    clf.eval()
    steps = 16
    text = next(t for t in load_reviews(config.n_train, seed=0).test_texts
                if 24 <= len(clf.encode(t)) <= 40) if full else \
        load_reviews(config.n_train, seed=0).test_texts[0]
    ids = clf.encode(text)[:40 if full else 12]
    pad = clf.tokenizer.pad_token_id
    base_ids = [i if i in clf.special_ids else pad for i in ids]
    emb, base = clf.word_embeddings(ids)[None], clf.pad_baseline(ids)[None]
    adapter = TorchAdapter(clf.embedding_model(len(ids)), batch_size=steps,
                           dtype=torch.float32)
    lig = LayerIntegratedGradients(lambda x: clf(x), clf.encoder.embeddings.word_embeddings)
    input_ids = torch.tensor([ids])
    baseline_ids = torch.tensor([base_ids])

    def ours() -> np.ndarray:
        return integrated_gradients(adapter, emb, base, steps=steps, batch_rows=steps)

    def theirs() -> np.ndarray:
        a = lig.attribute(input_ids, baselines=baseline_ids, n_steps=steps,
                          method="gausslegendre")
        return a.detach().numpy()

    out, stats = alternating_timings({"ours": ours, "captum": theirs}, REPEATS)
    a_ours, a_theirs = out["ours"][0].sum(-1), out["captum"][0].sum(-1)
    diff = np.abs(a_ours - a_theirs)
    return {
        "model": "MiniLM-L6 review classifier, word-embedding layer (LayerIntegratedGradients)",
        "tokens": int(len(ids)), "steps": steps, "quadrature": "gausslegendre",
        "dtype": "float32", "ms_per_review": stats,
        "time_ratio_ours_over_captum": _ratio(stats, "ours", "captum"),
        "max_relative_difference": float(diff.max() / np.abs(a_theirs).max()),
    }


def _sales_setup(profile: Profile, n_rows: int) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    from ecomxai.models.sales_mlp import SalesMLPConfig, train_sales_mlp  # noqa: PLC0415

    config = SalesMLPConfig() if profile.name == "full" else SalesMLPConfig(epochs=15, patience=5)
    trained = train_sales_mlp(config)
    X = trained.X("test")[:n_rows]
    train = trained.X("train")
    bg = train[np.random.default_rng(0).choice(len(train), profile.background, replace=False)]
    return trained.predict, X, bg, train


def shapley_vs_shap(profile: Profile) -> dict[str, Any]:
    """Exact Shapley values: ours vs ``shap.explainers.Exact``; KernelSHAP at each budget."""
    import shap  # noqa: PLC0415

    from ecomxai.explain.shapley import exact_shapley, kernel_shap  # noqa: PLC0415

    full = profile.name == "full"
    n_rows = 10 if full else 2
    f, X, bg, _ = _sales_setup(profile, n_rows)
    contenders: dict[str, Callable[[], Any]] = {"ours": lambda: exact_shapley(f, X, bg).values}
    if full:  # shap's Exact compiles numba kernels first (~30 s): full run only
        masker = shap.maskers.Independent(bg, max_samples=len(bg))
        exact = shap.explainers.Exact(f, masker)
        contenders["shap_exact"] = lambda: np.asarray(exact(X, silent=True).values)
    budgets = (64, 256, 1024) if full else (64,)
    for ns in budgets:
        contenders[f"kernel_{ns}"] = lambda ns=ns: kernel_shap(f, X, bg, nsamples=ns).values
    out, stats = alternating_timings(contenders, REPEATS if full else 5, n_rows)
    ours = out["ours"]
    scale = float(np.abs(ours).max())
    result: dict[str, Any] = {
        "model": "Keras sales MLP 10-64-32-1 (document 000)",
        "rows": n_rows, "features": int(X.shape[1]), "background_rows": int(len(bg)),
        "coalitions": 2 ** X.shape[1], "ms_per_row": stats,
        "time_ratio_ours_over_shap_exact": None, "max_relative_difference_vs_shap_exact": None,
    }
    if "shap_exact" in out:
        result["time_ratio_ours_over_shap_exact"] = _ratio(stats, "ours", "shap_exact")
        result["max_relative_difference_vs_shap_exact"] = float(
            np.abs(out["shap_exact"] - ours).max() / scale)
    result["kernel"] = [{
        "nsamples": ns,
        "ms_per_row": stats[f"kernel_{ns}"],
        "time_ratio_exact_over_kernel": _ratio(stats, "ours", f"kernel_{ns}"),
        "max_relative_error": float(np.abs(out[f"kernel_{ns}"] - ours).max() / scale),
        "mean_rank_correlation_with_exact": float(np.mean(
            [rank_correlation(a, b) for a, b in zip(out[f"kernel_{ns}"], ours)])),
    } for ns in budgets]
    return result


def lime_samples_vs_fidelity(profile: Profile) -> dict[str, Any]:
    """LIME's sample count against time, surrogate fidelity, truthfulness and stability."""
    from benchmarks.tabular_methods import lime_attributions  # noqa: PLC0415
    from ecomxai.explain.shapley import exact_shapley  # noqa: PLC0415

    full = profile.name == "full"
    n_rows = 10 if full else 2
    f, X, bg, train = _sales_setup(profile, n_rows)
    reference = exact_shapley(f, X, bg).values
    counts = (50, 100, 250, 500, 1000, 2500, 5000) if full else (50, 200)
    out, stats = alternating_timings(
        {"exact": lambda: exact_shapley(f, X, bg).values,
         **{n: (lambda n=n: lime_attributions(f, X, train, n, seed=0)) for n in counts}},
        REPEATS if full else 5, n_rows)
    rows: list[dict[str, Any]] = []
    for n in counts:
        a1, fid = out[n]
        a2, _ = lime_attributions(f, X, train, n, seed=1)
        rows.append({
            "num_samples": n,
            "ms_per_row": stats[n],
            "time_ratio_over_exact_shapley": None,
            "surrogate_r2": float(np.mean(fid)),
            "rank_correlation_with_exact_shapley": float(np.mean(
                [rank_correlation(a, b, absolute=False) for a, b in zip(a1, reference)])),
            "rank_correlation_between_seeds": float(np.mean(
                [rank_correlation(a, b) for a, b in zip(a1, a2)])),
        })
    ref_stats = stats
    for r in rows:
        r["time_ratio_over_exact_shapley"] = r["ms_per_row"]["median"] / \
            ref_stats["exact"]["median"]
    return {"model": "Keras sales MLP 10-64-32-1 (document 000)", "rows": n_rows,
            "sampling": "Gaussian around the instance, standardised features, no discretising",
            "exact_shapley_ms_per_row": ref_stats["exact"], "by_num_samples": rows}


def explainer_network_vs_kernel(profile: Profile) -> dict[str, Any]:
    """The amortised explainer network (one forward pass) vs KernelSHAP on the same rows."""
    from benchmarks.cases.explainer_net import build, explainer_network_method  # noqa: PLC0415
    from ecomxai.explain.shapley import kernel_shap  # noqa: PLC0415

    case = build(profile)
    n_rows = 20 if profile.name == "full" else 2
    X = case.X[:n_rows]
    model = case.model
    ns = profile.kernel_samples
    out, stats = alternating_timings({
        "explainer_network": lambda: explainer_network_method(model, X),
        "kernel_shap": lambda: kernel_shap(model.f, X, case.background, nsamples=ns).values,
    }, REPEATS if profile.name == "full" else 5, n_rows)
    return {"model": case.description, "rows": n_rows, "kernel_nsamples": ns,
            "background_rows": int(len(case.background)), "ms_per_row": stats,
            "time_ratio_network_over_kernel": _ratio(stats, "explainer_network", "kernel_shap"),
            "mean_rank_correlation": float(np.mean([rank_correlation(a, b) for a, b in zip(
                out["explainer_network"], out["kernel_shap"])]))}


def run_speed(profile: Profile, log: Callable[[str], None]) -> dict[str, Any]:
    """All comparisons as one JSON-ready dictionary."""
    import torch  # noqa: PLC0415

    out: dict[str, Any] = {"repeats": REPEATS, "torch_threads": torch.get_num_threads()}
    for name, fn in (("integrated_gradients_vs_captum", ig_vs_captum),
                     ("layer_integrated_gradients_vs_captum", layer_ig_vs_captum),
                     ("exact_shapley_vs_shap", shapley_vs_shap),
                     ("lime_samples_vs_fidelity", lime_samples_vs_fidelity),
                     ("explainer_network_vs_kernel_shap", explainer_network_vs_kernel)):
        log(f"  speed / {name}")
        out[name] = fn(profile)
    return out
