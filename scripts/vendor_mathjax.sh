#!/usr/bin/env bash
# Vendor MathJax 3 into book/_static/mathjax/ so the built book typesets math with no CDN.
#
# Source: the npm registry's `mathjax` package (the packaged es5 components), fetched once
# with `npm pack` (no node_modules, no scripts run). Fallback when npm is absent: Debian's
# libjs-mathjax is MathJax 2 and is NOT used (Sphinx 7 speaks MathJax 3); instead we fail
# with a message naming the fix.
#
# The copy is git-ignored (book/_static/mathjax/.gitignore) and about 8 MB; Sphinx copies
# book/_static into _build/html/_static, and _config.yml points mathjax_path at
# mathjax/tex-mml-chtml.js (relative to _static). Re-running is a no-op once the pinned
# version is in place, so builds under `unshare -n` work after the first setup.
set -euo pipefail
MATHJAX_VERSION="${MATHJAX_VERSION:-3.2.2}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/book/_static/mathjax"
STAMP="$DEST/.version"

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$MATHJAX_VERSION" && -f "$DEST/tex-mml-chtml.js" ]]; then
  exit 0
fi
command -v npm >/dev/null || {
  echo "!! npm is needed once to vendor MathJax $MATHJAX_VERSION (apt-get install npm, or conda install nodejs)" >&2
  exit 1
}
echo ">> vendoring MathJax $MATHJAX_VERSION from the npm registry into book/_static/mathjax (once)"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
(cd "$TMP" && npm pack --silent "mathjax@$MATHJAX_VERSION" >/dev/null && tar xzf "mathjax-$MATHJAX_VERSION.tgz")
ES5="$TMP/package/es5"
test -f "$ES5/tex-mml-chtml.js" || { echo "!! unexpected mathjax package layout" >&2; exit 1; }
rm -rf "$DEST"
mkdir -p "$DEST/output"
# The combined TeX+MathML -> CommonHTML component, and what it loads lazily: TeX
# extensions (\require, autoload), CHTML fonts, the menu's accessibility and speech parts.
cp "$ES5/tex-mml-chtml.js" "$DEST/"
cp -r "$ES5/input" "$ES5/ui" "$ES5/a11y" "$ES5/adaptors" "$ES5/sre" "$DEST/"
cp -r "$ES5/output/chtml" "$ES5/output/chtml.js" "$DEST/output/"
cp "$TMP/package/LICENSE" "$DEST/LICENSE"
printf '*\n' > "$DEST/.gitignore"
echo "$MATHJAX_VERSION" > "$STAMP"
echo ">> MathJax $MATHJAX_VERSION vendored ($(du -sh "$DEST" | cut -f1))"
