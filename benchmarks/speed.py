"""Our implementations against the reference libraries, on the same inputs, in one run.

* integrated gradients: ``ecomxai.explain.gradients`` vs Captum :cite:`kokhlikyan2020captum`
  on a PyTorch MLP fitted to the catalogue (same baseline, same Gauss-Legendre nodes);
* exact Shapley values: ``ecomxai.explain.shapley.exact_shapley`` vs ``shap``'s ``Exact``
  and ``KernelExplainer`` on the sales MLP (same background rows);
* LIME: number of perturbation samples vs the fidelity of the local surrogate (its
  weighted :math:`R^2`), its agreement with the exact Shapley values and its run-to-run
  stability.

Times are the best of a few repeats after one warm-up call, so one-off tracing and import
costs are excluded; the *ratios* are what carries over to another machine.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

from benchmarks.harness import Profile
from ecomxai.evaluate.stability import rank_correlation


def _best_time(fn: Callable[[], Any], repeats: int) -> tuple[Any, float]:
    fn()  # warm-up (tracing, caches)
    best, out = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return out, best


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
    """Our integrated gradients vs Captum's on the same model, inputs and nodes."""
    import torch  # noqa: PLC0415
    from captum.attr import IntegratedGradients  # noqa: PLC0415

    from ecomxai.explain.adapters import TorchAdapter  # noqa: PLC0415
    from ecomxai.explain.gradients import integrated_gradients  # noqa: PLC0415

    net, X = _torch_mlp()
    rows = X[:(200 if profile.name == "full" else 20)]
    steps = 50
    adapter = TorchAdapter(net)
    ours, t_ours = _best_time(
        lambda: integrated_gradients(adapter, rows, 0.0, steps=steps, return_delta=True), 3)
    captum = IntegratedGradients(net)
    inputs = torch.as_tensor(rows, dtype=torch.float32)

    def run_captum() -> tuple[np.ndarray, np.ndarray]:
        a, delta = captum.attribute(inputs, baselines=0.0, target=0, n_steps=steps,
                                    method="gausslegendre", return_convergence_delta=True)
        return a.detach().numpy(), delta.detach().numpy()

    theirs, t_captum = _best_time(run_captum, 3)
    diff = np.abs(ours[0] - theirs[0])
    scale = np.abs(theirs[0]).max()
    return {
        "model": "PyTorch MLP 10-64-32-1 on the standardised catalogue",
        "rows": int(len(rows)), "steps": steps, "quadrature": "gausslegendre",
        "ours_ms_per_row": 1000 * t_ours / len(rows),
        "captum_ms_per_row": 1000 * t_captum / len(rows),
        "time_ratio_ours_over_captum": t_ours / t_captum,
        "max_abs_difference": float(diff.max()),
        "max_relative_difference": float(diff.max() / scale),
        "ours_mean_abs_completeness_gap": float(np.abs(ours[1]).mean()),
        "captum_mean_abs_convergence_delta": float(np.abs(theirs[1]).mean()),
    }


def shapley_vs_shap(profile: Profile) -> dict[str, Any]:
    """Exact Shapley values: ours vs ``shap.explainers.Exact`` vs ``shap.KernelExplainer``."""
    import shap  # noqa: PLC0415

    from ecomxai.explain.shapley import exact_shapley, kernel_shap  # noqa: PLC0415
    from ecomxai.models.sales_mlp import train_sales_mlp  # noqa: PLC0415

    trained = train_sales_mlp()
    f = trained.predict
    n_rows = 20 if profile.name == "full" else 2
    X = trained.X("test")[:n_rows]
    train = trained.X("train")
    bg = train[np.random.default_rng(0).choice(len(train), profile.background, replace=False)]
    repeats = 2 if profile.name == "full" else 1
    ours, t_ours = _best_time(lambda: exact_shapley(f, X, bg).values, repeats)
    scale = float(np.abs(ours).max())
    exact_row: dict[str, Any] = {"shap_exact_ms_per_row": None,
                                 "time_ratio_ours_over_shap_exact": None,
                                 "max_relative_difference_vs_shap_exact": None}
    if profile.name == "full":  # shap's Exact compiles numba kernels first: ~30 s, full run only
        masker = shap.maskers.Independent(bg, max_samples=len(bg))
        exact = shap.explainers.Exact(f, masker)
        theirs, t_exact = _best_time(
            lambda: np.asarray(exact(X, silent=True).values), repeats)
        exact_row = {"shap_exact_ms_per_row": 1000 * t_exact / n_rows,
                     "time_ratio_ours_over_shap_exact": t_ours / t_exact,
                     "max_relative_difference_vs_shap_exact":
                         float(np.abs(theirs - ours).max() / scale)}
    kernel: list[dict[str, Any]] = []
    for nsamples in ((64, 256, 1024) if profile.name == "full" else (64,)):
        vals, t_k = _best_time(lambda ns=nsamples: kernel_shap(f, X, bg, nsamples=ns).values,
                               1)
        err = np.abs(vals - ours)
        kernel.append({
            "nsamples": nsamples,
            "ms_per_row": 1000 * t_k / n_rows,
            "time_ratio_ours_over_kernel": t_ours / t_k,
            "max_relative_error": float(err.max() / scale),
            "mean_rank_correlation_with_exact": float(np.mean(
                [rank_correlation(a, b) for a, b in zip(vals, ours)])),
        })
    return {
        "model": "Keras sales MLP 10-64-32-1 (document 000)",
        "rows": n_rows, "features": int(X.shape[1]), "background_rows": int(len(bg)),
        "coalitions": 2 ** X.shape[1],
        "ours_ms_per_row": 1000 * t_ours / n_rows,
        **exact_row,
        "kernel": kernel,
    }


def lime_samples_vs_fidelity(profile: Profile) -> dict[str, Any]:
    """LIME's sample count against surrogate fidelity, truthfulness and stability."""
    from benchmarks.tabular_methods import lime_attributions  # noqa: PLC0415
    from ecomxai.explain.shapley import exact_shapley  # noqa: PLC0415
    from ecomxai.models.sales_mlp import train_sales_mlp  # noqa: PLC0415

    trained = train_sales_mlp()
    f = trained.predict
    n_rows = 10 if profile.name == "full" else 2
    X = trained.X("test")[:n_rows]
    train = trained.X("train")
    bg = train[np.random.default_rng(0).choice(len(train), profile.background, replace=False)]
    reference = exact_shapley(f, X, bg).values
    rows: list[dict[str, Any]] = []
    counts = (50, 100, 250, 500, 1000, 2500, 5000) if profile.name == "full" else (50, 200)
    for n in counts:
        start = time.perf_counter()
        a1, fid = lime_attributions(f, X, train, n, seed=0)
        seconds = time.perf_counter() - start
        a2, _ = lime_attributions(f, X, train, n, seed=1)
        rows.append({
            "num_samples": n,
            "ms_per_row": 1000 * seconds / n_rows,
            "surrogate_r2": float(np.mean(fid)),
            "rank_correlation_with_exact_shapley": float(np.mean(
                [rank_correlation(a, b, absolute=False) for a, b in zip(a1, reference)])),
            "rank_correlation_between_seeds": float(np.mean(
                [rank_correlation(a, b) for a, b in zip(a1, a2)])),
        })
    return {"model": "Keras sales MLP 10-64-32-1 (document 000)", "rows": n_rows,
            "sampling": "Gaussian around the instance, standardised features, no discretising",
            "by_num_samples": rows}


def run_speed(profile: Profile, log: Callable[[str], None]) -> dict[str, Any]:
    """All three comparisons as one JSON-ready dictionary."""
    out: dict[str, Any] = {}
    for name, fn in (("integrated_gradients_vs_captum", ig_vs_captum),
                     ("exact_shapley_vs_shap", shapley_vs_shap),
                     ("lime_samples_vs_fidelity", lime_samples_vs_fidelity)):
        log(f"  speed / {name}")
        out[name] = fn(profile)
    return out
