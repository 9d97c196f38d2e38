"""Sphinx extension: the API reference appendix (``book/api/``), generated from docstrings.

Registered from ``_config.yml`` (``sphinx.local_extensions``) next to autodoc,
autosummary and napoleon. It adds one directive,

.. code-block:: rst

   .. ecomxai-modules:: ecomxai.explain

which documents every public module of a subpackage (found on disk, so a module added
later appears without editing the page): a summary table of each module's ``__all__``
(autosummary, no generated stub files), then one section per module (automodule with its
members). The heavy frameworks (torch, TensorFlow, transformers, shap, lime, captum) are
mocked through ``autodoc_mock_imports``: the reference builds in seconds, offline, with
only NumPy, SciPy, pandas, scikit-learn and matplotlib installed (as in the publishing
workflow). The extension also puts ``src/`` on ``sys.path`` when ``ecomxai`` is not
installed.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import pkgutil
import sys
import typing
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.ext.autodoc.mock import mock
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode, nested_parse_with_titles

ROOT = Path(__file__).resolve().parents[2]


def _public_modules(package: str) -> list[str]:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{package} is not a package")
    return sorted(f"{package}.{m.name}" for m in pkgutil.iter_modules(
        spec.submodule_search_locations) if not m.name.startswith("_"))


def _member_lines(module: Any, member: str) -> list[str]:
    """The autodoc directive that documents one public name of ``module``."""
    obj = getattr(module, member)
    full = f"{module.__name__}.{member}"
    if _defined_elsewhere(module, obj):  # re-exported: documented where it is defined
        return []
    if typing.get_origin(obj) is not None:  # a type alias such as dict[str, np.ndarray]
        return [f".. py:data:: {member}", f"   :module: {module.__name__}",
                f"   :value: {obj!r}", ""]
    if inspect.isclass(obj):
        kind = "autoexception" if issubclass(obj, BaseException) else "autoclass"
        bases = ["   :show-inheritance:"] if obj.__bases__ != (object,) else []
        return [f".. {kind}:: {full}", "   :members:", *bases, ""]
    if callable(obj):
        return [f".. autofunction:: {full}", ""]
    if _has_comment(module, member):  # a ``#:`` comment: autodoc shows it
        return [f".. autodata:: {full}", ""]
    value = repr(obj)  # no comment: the name and a short value, not the type's docstring
    return ([f".. py:data:: {member}", f"   :module: {module.__name__}"]
            + ([f"   :value: {value}"] if len(value) < 120 else []) + [""])


def _defined_elsewhere(module: Any, obj: Any) -> bool:
    origin = getattr(obj, "__module__", None) if callable(obj) else None
    return (isinstance(origin, str) and origin != module.__name__
            and origin.startswith("ecomxai.") and typing.get_origin(obj) is None)


def _summary_name(module: Any, member: str) -> str:
    obj = getattr(module, member)
    if not _defined_elsewhere(module, obj):
        return member
    full = f"{obj.__module__}.{member}"  # autosummary wants it relative to the current module
    return full.removeprefix(module.__name__ + ".")


def _has_comment(module: Any, member: str) -> bool:
    return ("", member) in ModuleAnalyzer.for_module(module.__name__).find_attr_docs()


def _in_summary(module: Any, member: str) -> bool:
    """Tabulate functions, classes and commented constants (autosummary would show the
    docstring of ``dict`` or ``tuple`` for a bare constant)."""
    obj = getattr(module, member)
    if typing.get_origin(obj) is not None:
        return False
    return callable(obj) or _has_comment(module, member)


class ModulesDirective(SphinxDirective):
    """``.. ecomxai-modules:: package`` (or a space-separated list of modules in
    ``:modules:``): per module a section with its docstring, a summary table of its
    ``__all__`` and the documentation of each public name."""

    required_arguments = 1
    option_spec = {"modules": directives.unchanged, "heading": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        names = (self.options["modules"].split() if "modules" in self.options
                 else _public_modules(target))
        underline = self.options.get("heading", "-")[0]
        lines: list[str] = []
        if "modules" not in self.options:  # the package's own docstring and names first
            names = [target] + names
        with mock(self.config.autodoc_mock_imports):
            for name in names:
                module = importlib.import_module(name)
                path = getattr(module, "__file__", None)
                if path:
                    self.env.note_dependency(path)
                if name != target or "modules" in self.options:
                    lines += [name, underline * len(name), ""]
                public = getattr(module, "__all__", None)
                if public is None:  # no __all__: everything autodoc finds
                    lines += [f".. automodule:: {name}", "   :members:",
                              "   :show-inheritance:", ""]
                    continue
                lines += [f".. automodule:: {name}", "   :no-members:", ""]
                if public:
                    lines += [".. autosummary::", "   :nosignatures:", ""]
                    lines += [f"   {_summary_name(module, member)}" for member in public
                              if _in_summary(module, member)] + [""]
                for member in public:
                    lines += _member_lines(module, member)
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source=self.get_source_info()[0]),
                                 container)
        return container.children


def _attribute_docstring(self: Any) -> list[str]:
    """A constant's ``#:`` comment as written (napoleon would read ``text: more`` as a type)."""
    return self._consume_to_end()


def _attributes_section(self: Any, section: str) -> list[str]:
    """``Attributes`` entries, one ``.. attribute::`` per name, also when an entry names
    several fields (``a, b``), so that references to them resolve."""
    lines: list[str] = []
    for names, _type, desc in self._consume_fields():
        for name in (n.strip() for n in names.split(",")):
            lines += [f".. attribute:: {name}", ""]
            lines += self._indent(self._format_field("", "", desc), 3)
            if _type:
                lines += ["", *self._indent([f":type: {_type}"], 3)]
            lines.append("")
    return lines


def _resolve_in_package(app: Any, env: Any, node: Any, contnode: nodes.Node) -> Any:
    """Resolve a short Python reference made inside a package (``FormulaCheck`` in the
    docstring of :mod:`ecomxai.formulas`) to the one object of that name in its modules."""
    module = node.get("py:module") or ""
    if node.get("refdomain") != "py" or not module.startswith("ecomxai"):
        return None
    suffix = "." + node["reftarget"].lstrip(".~")
    domain = env.get_domain("py")
    found = [(name, entry) for name, entry in domain.objects.items()
             if name.startswith(module + ".") and name.endswith(suffix)]
    if len(found) != 1:
        return None
    name, entry = found[0]
    return make_refnode(app.builder, node["refdoc"], entry.docname, entry.node_id, contnode,
                        name)


def setup(app: Any) -> dict[str, Any]:
    if importlib.util.find_spec("ecomxai") is None:
        sys.path.insert(0, str(ROOT / "src"))
    app.add_directive("ecomxai-modules", ModulesDirective)
    app.connect("missing-reference", _resolve_in_package)
    from sphinx.ext.napoleon.docstring import GoogleDocstring  # noqa: PLC0415

    GoogleDocstring._parse_attribute_docstring = _attribute_docstring
    GoogleDocstring._parse_attributes_section = _attributes_section
    return {"parallel_read_safe": True, "parallel_write_safe": True}
