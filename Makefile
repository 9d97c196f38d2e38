# The e-commerce XAI book. Every target sets up .venv itself (once: a stamp file records
# that the pinned environment is installed; editing a pin file reinstalls).
#   make book        build the HTML book into _build/html (executes notebooks via jupyter-cache)
#                    and the Chinese edition into _build/html/zh (zh/, scripts/zh_sync.py)
#   make test        import contracts + unit tests + nbval over every notebook (natively, then
#                    as "another CPU" from a cold model cache) + strict book build + browser test
#   make lab         JupyterLab on the notebooks, ecomxai importable
#   make notebooks   re-execute every notebook in place, in order (committed outputs)
#   make bench       run the explanation benchmark and the recommender's 3 seeds (benchmarks/results/*.json)
#   make bench-speed only its speed comparisons (speed.json; keeps the previous run's)
#   make test-browser  every built page in headless Chromium, network cut (part of make test)
#   make student-book  the book without exercise solutions, into _build/students
#   make assignments  autograded student notebooks + autograder bundles, into _build/assignments
#   make pdf         the book as one PDF (XeLaTeX; installs Debian's TeX once, as root)
#   make pdf-zh      the Chinese edition as one PDF (XeLaTeX with xeCJK), into _build/zh/_build/latex
#   make clean       remove build outputs (keeps .venv and the model cache)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
# pip on this kind of machine reads extra local indexes that are often absent; hide that noise
PIPQUIET := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export PYTHONHASHSEED := 42
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# kernels started by nbval, nbconvert and jupyter-book use the project environment
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: setup sysdeps mathjax cjkfont browserdeps texdeps student-book book book-zh test unit nbval nbval-portable strict-book strict-book-zh test-browser pdf lab notebooks bench bench-speed clean

setup: $(STAMP) sysdeps

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	@echo ">> creating $(VENV) and installing the pinned environment (about 3 minutes, once)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@# torch first, exactly pinned: any other spec pulls a multi-GB CUDA build
	@$(PIP) install -q "$$(grep -E '^torch==' requirements.txt)" $(PIPQUIET)
	@$(PIP) install -q -r requirements.txt $(PIPQUIET)
	@$(PIP) install -q --no-deps -r requirements-nodeps.txt $(PIPQUIET)
	@$(PIP) install -q --no-deps -e . $(PIPQUIET)
	@$(PY) -c "import ecomxai, torch, tensorflow, transformers, shap, lime, captum; print('>> environment ready: torch', torch.__version__, '| tensorflow', tensorflow.__version__)"
	@touch $@

# System tools the book build needs: graphviz renders the concept diagrams offline.
sysdeps:
	@command -v dot >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo ">> installing graphviz (Debian package)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz) >/dev/null; \
	  else echo "!! graphviz 'dot' is missing: install it (apt-get install graphviz / conda install graphviz)"; exit 1; fi; }

# Offline math: MathJax 3 vendored once from the npm registry into book/_static/mathjax
# (git-ignored); later builds, offline ones included, reuse it.
MATHJAX_STAMP := book/_static/mathjax/.version
mathjax: $(MATHJAX_STAMP)
$(MATHJAX_STAMP): scripts/vendor_mathjax.sh
	@bash scripts/vendor_mathjax.sh

# Offline Chinese: Noto Sans SC web font (SIL OFL) vendored once from the npm registry into
# book/_static/fonts/noto-sans-sc (git-ignored, about 4.5 MB; a page loads only its slices).
CJKFONT_STAMP := book/_static/fonts/noto-sans-sc/.version
cjkfont: $(CJKFONT_STAMP)
$(CJKFONT_STAMP): scripts/vendor_cjk_font.sh
	@PYTHON=$(PYTHON) bash scripts/vendor_cjk_font.sh

# Headless Chromium for the browser test (Debian's package; CI starts without it).
browserdeps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo ">> installing chromium (Debian package, about 1-2 minutes, once)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; \
	  else echo "!! chromium is missing: install it (apt-get install chromium)"; exit 1; fi; }

book: setup mathjax cjkfont
	$(VENV)/bin/jupyter-book build . --builder html
	@$(MAKE) --no-print-directory book-zh
	@echo ">> open _build/html/index.html (中文版: _build/html/zh/index.html)"

# The Chinese edition (zh/, see scripts/zh_sync.py): assembled into _build/zh_src (translated
# chapters; notebooks generated from the committed ones with their markdown cells in Chinese,
# outputs untouched, never executed; untranslated pages under a banner), built into
# _build/zh and copied to _build/html/zh. Its search index is segmented with jieba.
ZH_BUILD := $(VENV)/bin/jupyter-book build _build/zh_src --builder html --path-output _build/zh
ZH_PUBLISH := rm -rf _build/html/zh && mkdir -p _build/html && cp -r _build/zh/_build/html _build/html/zh
book-zh: setup mathjax cjkfont
	$(PY) scripts/zh_sync.py assemble
	$(ZH_BUILD)
	@$(ZH_PUBLISH)

strict-book-zh: setup mathjax cjkfont
	$(PY) scripts/zh_sync.py assemble
	@rc=0; $(ZH_BUILD) -W -n --keep-going || rc=1; $(ZH_PUBLISH); exit $$rc

# the strict build renders committed outputs without executing them
_build/_config.strict.yml: _config.yml Makefile
	@mkdir -p _build
	@sed -e 's/^\(  *execute_notebooks:\).*/\1 "off"/' \
	     -e 's#^\(    [a-z_]*:\) scripts/sphinx_ext#\1 ../scripts/sphinx_ext#' _config.yml > $@

strict-book: setup mathjax cjkfont _build/_config.strict.yml
	@rc=0; \
	$(VENV)/bin/jupyter-book build . --builder html --config _build/_config.strict.yml -W -n --keep-going || rc=1; \
	$(MAKE) --no-print-directory strict-book-zh || rc=1; \
	exit $$rc

# Kernels draw with the inline backend (figures land in the notebooks); only the unit tests,
# which draw no notebook figure, use Agg.
unit: setup
	MPLBACKEND=Agg $(PY) -m pytest tests -q --ignore=tests/browser

# The import contracts of src/ecomxai (pyproject.toml, [tool.importlinter]): studies on top,
# models above data above runtime, explain/evaluate/viz import no model, data set or study.
.PHONY: lint-imports
lint-imports: setup
	$(VENV)/bin/lint-imports

# Jupyter kernels (nbval) and the browser test talk over 127.0.0.1; inside `unshare -n`
# the loopback interface starts down, so bring it up when we may (root), else carry on.
LOOPBACK_UP := ip link show lo 2>/dev/null | grep -q ',UP' || ip link set lo up 2>/dev/null || true

NBVAL := $(PY) -m pytest -q --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  -p no:cacheprovider
nbval: setup
	@$(LOOPBACK_UP)
	$(NBVAL) $(NOTEBOOKS)

# nbval again as "another CPU", from an empty model cache (every model retrained, as on a
# reader's machine): PyTorch's portable kernels, MKL and oneDNN limited to AVX2, one thread
# for PyTorch, TensorFlow and OpenMP (the normal run uses every core). Checked cells and
# the tolerances of the glued numbers must hold on both (tests/test_notebook_rules.py).
PORTABLE_ENV := ATEN_CPU_CAPABILITY=default MKL_ENABLE_INSTRUCTIONS=AVX2 ONEDNN_MAX_CPU_ISA=AVX2 \
  OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=1
nbval-portable: setup
	@$(LOOPBACK_UP)
	@cache=$$(mktemp -d -t ecomxai-cold-cache.XXXXXX); trap 'rm -rf "$$cache"' EXIT; \
	echo ">> nbval as another CPU ($(PORTABLE_ENV)), cold model cache $$cache"; \
	env $(PORTABLE_ENV) ECOMXAI_CACHE_DIR="$$cache" $(NBVAL) $(NOTEBOOKS)

test: setup
	@rc=0; \
	$(MAKE) --no-print-directory lint-imports || rc=1; \
	$(MAKE) --no-print-directory unit || rc=1; \
	$(MAKE) --no-print-directory nbval || rc=1; \
	$(MAKE) --no-print-directory nbval-portable || rc=1; \
	$(MAKE) --no-print-directory strict-book || rc=1; \
	$(MAKE) --no-print-directory test-browser || rc=1; \
	$(MAKE) --no-print-directory test-assignments || rc=1; \
	if [ $$rc -ne 0 ]; then echo ">> make test: FAILED"; exit 1; fi; \
	echo ">> make test: all suites passed"

# The built book in headless Chromium with the network cut except loopback: inside
# `unshare -n` when we may (root), else Chromium's own resolver/proxy rules; every page
# loads with no failed request and no JS error, math typeset, images loaded; screenshots
# in _build/screenshots/. Builds the book first if there is none.
BROWSER_PYTEST := $(PY) -m pytest -q -p no:cacheprovider tests/browser
test-browser: setup browserdeps
	@test -f _build/html/index.html || $(MAKE) --no-print-directory strict-book
	@if [ "$$(id -u)" = 0 ] && command -v ip >/dev/null && unshare -n true 2>/dev/null; then \
	  ECOMXAI_NETWORK_CUT="unshare -n (loopback only)" unshare -n sh -c 'ip link set lo up && exec $(BROWSER_PYTEST)'; \
	else \
	  $(BROWSER_PYTEST); \
	fi

# The book as one PDF (XeLaTeX, Chinese through xeCJK), from the committed notebook outputs.
# Debian's TeX: about 1 GB and 3-4 minutes to install, once, as root; not part of `make test`.
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-plain-generic \
  texlive-lang-chinese texlive-lang-cjk fonts-noto-cjk fonts-freefont-otf latexmk xindy
texdeps:
	@{ command -v xelatex && command -v latexmk && command -v xindy; } >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo ">> installing Debian's TeX for the PDF (about 1 GB, 3-4 minutes, once)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES)) >/dev/null; \
	  else echo "!! XeLaTeX is missing: apt-get install $(TEX_PACKAGES)"; exit 1; fi; }

pdf: setup texdeps _build/_config.strict.yml
	$(VENV)/bin/jupyter-book build . --builder pdflatex --config _build/_config.strict.yml
	@echo ">> _build/latex/ecomxai-book.pdf"

# The Chinese edition as one PDF, from the assembled edition (scripts/zh_sync.py assemble:
# translated pages, notebooks with Chinese prose and the committed outputs, untranslated pages
# in English) through the same XeLaTeX set-up: Chinese set with xeCJK and Debian's Noto CJK
# fonts; zh/_config.yml names the file and sets Chinese captions.
.PHONY: pdf-zh
pdf-zh: setup texdeps
	$(PY) scripts/zh_sync.py assemble
	$(VENV)/bin/jupyter-book build _build/zh_src --builder pdflatex --path-output _build/zh
	@echo ">> _build/zh/_build/latex/ecomxai-book-zh.pdf"

# A student edition: the same book with every exercise solution removed (sphinx-exercise's
# hide_solutions), from the committed outputs, into _build/students/html.
student-book: setup mathjax cjkfont _build/_config.strict.yml
	@# no language link: the student edition has no Chinese counterpart beside it
	@sed -e 's/^  config:$$/  config:\n    hide_solutions: true/' -e '/^    ecomxai_counterpart:/d' \
	  _build/_config.strict.yml > _build/_config.students.yml
	$(VENV)/bin/jupyter-book build . --builder html --config _build/_config.students.yml --path-output _build/students
	@echo ">> open _build/students/_build/html/index.html"

# Autograded assignments (otter-grader, no Docker): sources in assignments/src/, built into
# _build/assignments/ (student notebooks with public tests; autograder bundles with hidden
# tests for the instructor). test-assignments grades the reference solutions (full marks),
# the blank student notebooks (nothing) and a plausible wrong answer per question (not full).
.PHONY: assignments test-assignments
assignments: setup
	$(PY) assignments/build.py

test-assignments: assignments
	@$(LOOPBACK_UP)
	$(PY) assignments/grade.py

lab: setup
	$(VENV)/bin/jupyter lab notebooks

notebooks: setup
	@for nb in $(NOTEBOOKS); do \
	  echo ">> executing $$nb"; \
	  (cd notebooks && ../$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	     --ExecutePreprocessor.timeout=1200 --ExecutePreprocessor.kernel_name=python3 "$$(basename $$nb)"); \
	done

# the speed part runs on one thread in both bench and bench-speed, so their ratios compare
# (a 2-thread speed run under load gave ours/Captum 0.18 against 0.09-0.11 on one thread)
bench: setup
	$(PY) -m benchmarks.run --no-speed
	OMP_NUM_THREADS=1 $(PY) -m benchmarks.run --speed-only
	$(PY) -m benchmarks.recommender

# only the speed comparisons (ours vs Captum / shap / lime): seconds to minutes, so two
# consecutive runs are cheap; the previous speed.json is kept as speed_previous.json;
# one thread, so the CPU-time clock measures the same work in ours and in the library
bench-speed: setup
	OMP_NUM_THREADS=1 $(PY) -m benchmarks.run --speed-only

clean:
	rm -rf _build
