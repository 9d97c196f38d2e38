"""Static checks of the documents' code listings: names a function uses but nobody defines.

A listing that reads a name which is neither a parameter, nor assigned in the function,
nor defined at module level, nor a builtin raises ``NameError`` when that line runs.
:func:`undefined_names` finds such names without running anything (so without the
model downloads, data files or frameworks the listing would need first).
"""

from __future__ import annotations

import ast
import builtins

__all__ = ["undefined_names"]


def _bound_in(node: ast.AST) -> set[str]:
    bound: set[str] = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
            bound.add(sub.id)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(sub.name)
        elif isinstance(sub, ast.arg):
            bound.add(sub.arg)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in sub.names)
    return bound


def undefined_names(source: str) -> dict[str, list[str]]:
    """For each top-level function of ``source``, the names it reads that are defined
    nowhere (not a parameter, local, module-level name or builtin).

    Returns
    -------
    dict
        ``{function name: sorted undefined names}``, only for functions that have some.

    Raises
    ------
    ValueError
        If ``source`` is not valid Python.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ValueError(f"the listing is not valid Python: {err}") from err
    module_names = set(dir(builtins))
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            module_names.add(stmt.name)
        else:
            module_names |= _bound_in(stmt)
    report: dict[str, list[str]] = {}
    for stmt in tree.body:
        if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        known = module_names | _bound_in(stmt)
        used = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Load)}
        missing = sorted(used - known)
        if missing:
            report[stmt.name] = missing
    return report
