"""Static checks of the documents' code listings: names a function uses but nobody defines.

A listing that reads a name which is neither a parameter, nor assigned in the function,
nor defined at module level, nor a builtin raises ``NameError`` when that line runs.
:func:`undefined_names` finds such names without running anything (so without the
model downloads, data files or frameworks the listing would need first).
"""

from __future__ import annotations

import ast
import builtins

__all__ = ["DOCUMENT_LISTINGS", "undefined_names", "unbound_and_unused", "method_report"]


#: Excerpts of the documents' listings, as written (names the excerpt does not define but
#: that the document imports are set to ``None`` at the end, so only true omissions remain).
DOCUMENT_LISTINGS: dict[str, str] = {
    "001-main": """
def main():
    train_loader = DataLoader(RecommendationDataset(train_data), batch_size=32)
    eval_loader = DataLoader(RecommendationDataset(dev_data), batch_size=32)
DataLoader = RecommendationDataset = None
""",
    "003-main": """
def main():
    data = load_data()
    normalized_data = normalize(data)
    train_data, test_data = split_data(normalized_data)
    for epoch in range(num_epochs):
        for user, item, target in train_data_loader:
            loss = compute_loss(model(user, item), target) + compute_explainer_loss(explainer(user, item), model(user, item))
model = explainer = None
""",
    "004-backprop": """
def backward_pass(y_true, y_pred):
    error = y_true - y_pred
    d_output = error * activation(tf.matmul(y_pred, weights['output']) + biases['output'])
    d_hidden = tf.matmul(error, weights['output']) * activation(tf.matmul(x, weights['hidden']) + biases['hidden'])
    return d_output, d_hidden
def train_model(x, y, epochs=100, learning_rate=0.1):
    for epoch in range(epochs):
        print(f'Epoch {epoch}: Loss = {tf.reduce_mean(tf.square(error))}')
tf = weights = biases = activation = None
""",
    "001-model": """
class Attention(nn.Module):
    def __init__(self, d_model, nhead):
        self.query = nn.Linear(d_model, d_model)
class RecommendationModel(nn.Module):
    def __init__(self, d_model, n_layers, n_heads, d_k, d_v, d_out, dropout):
        self.encoder = Encoder(d_model, n_layers)
        self.attention = Attention(d_model, n_heads)
        self.fc = nn.Linear(d_out, 1)
    def forward(self, src, src_mask):
        src = self.encoder(src, src_mask)
        query = self.attention(query, key, value, mask)[0]
        return F.sigmoid(self.fc(query))
""",
}


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


def unbound_and_unused(func: ast.FunctionDef, module_names: tuple[str, ...] = ()
                       ) -> tuple[list[str], list[str]]:
    """Names a method reads before anything binds them, and arguments it never reads.

    Statements are walked in order: a name read before any assignment to it (and that is
    neither an argument, ``self``, nor one of ``module_names``) is unbound -- the line
    raises ``NameError`` (or reads a global by accident).
    """
    if not isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise ValueError(f"expected a function definition, got {type(func).__name__}")
    args = [a.arg for a in func.args.args if a.arg != "self"]
    bound, unbound, read = {"self", *args, *module_names}, [], set()
    for stmt in func.body:
        value = stmt.value if isinstance(stmt, (ast.Assign, ast.Return, ast.Expr)) else stmt
        names = [n.id for n in ast.walk(value) if isinstance(n, ast.Name)]
        read |= set(names)
        unbound += [n for n in names if n not in bound and n not in unbound]
        bound |= {n.id for n in ast.walk(stmt)
                  if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return unbound, [a for a in args if a not in read]


def method_report(source: str, module_names: tuple[str, ...] = ()
                  ) -> dict[str, tuple[list[str], list[str]]]:
    """:func:`unbound_and_unused` for every method of every class in ``source``.

    Returns ``{"Class.method": (unbound names, unused arguments)}``.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as err:
        raise ValueError(f"the listing is not valid Python: {err}") from err
    return {f"{cls.name}.{func.name}": unbound_and_unused(func, module_names)
            for cls in tree.body if isinstance(cls, ast.ClassDef)
            for func in cls.body if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))}
