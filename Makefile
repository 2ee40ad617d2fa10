# `make run` starts the app, `make test` runs the tests. Both create .venv with the
# machine's python3 and (re)install the project when pyproject.toml is newer than
# the last install, so a fresh clone needs nothing beforehand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshot page-screenshot results-screenshots ranking-screenshot clean bundle bundle-test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/reviewer

# One test process per core (pytest-xdist), whole test files to each; pytest prints
# the wall time of its run last ("N passed in S s").
test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile
	$(BIN)/lint-imports

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/vulture reviewer tests vulture_allow.py --min-confidence 60
	$(BIN)/lint-imports

bench: $(STAMP)
	for b in benchmarks/*_bench.py; do $(BIN)/python $$b || exit 1; done

# The README's picture: the demo review with suggestions accepted and a few decisions.
SHOT := /tmp/reviewer-screenshot.review
screenshot: $(STAMP)
	rm -f $(SHOT) $(SHOT)-wal $(SHOT)-shm
	$(BIN)/reviewer --review $(SHOT) new --demo > /dev/null
	$(BIN)/reviewer --review $(SHOT) suggest --apply --reviewer demo > /dev/null
	for id in 1 2 3; do $(BIN)/reviewer --review $(SHOT) decide $$id include --reviewer demo > /dev/null; done
	QT_QPA_PLATFORM=offscreen REVIEWER_NAME=demo $(BIN)/reviewer --review $(SHOT) screenshot docs/screenshot.png

# The README's page view picture: a trial's PDF beside the form, its values boxed.
page-screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/page_view_screenshot.py

# The README's results pictures: Results and RoB 2 tabs, forest plot, RoB 2 plot.
results-screenshots: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/results_screenshots.py

# The README's priority-screening picture: Jeyaraman 2020 (SYNERGY, in ../shared)
# screened along the ranking up to the stop, relevance column and recall-curve dock.
ranking-screenshot: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/ranking_screenshot.py

# The download for this platform (packaging/make_bundle.py): on Linux
# dist/reviewer-VERSION-linux-ARCH.tar.gz with install.sh. PyInstaller comes from the
# `bundle` extra, installed only here so `make test` stays lean.
BUNDLE_STAMP := $(VENV)/.installed-bundle
$(BUNDLE_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bundle]'
	touch $(BUNDLE_STAMP)

bundle: $(BUNDLE_STAMP)
	$(BIN)/python packaging/make_bundle.py

# Builds the bundle, installs it into a throw-away home and drives it under Xvfb
# (needs xvfb and xdotool: apt-get install xvfb xdotool). About 2 minutes, most of it the build.
bundle-test: bundle
	$(BIN)/python packaging/smoke_test.py

clean:
	rm -rf $(VENV) build dist *.egg-info
