# The two commands of the README's quick start, and a few more.
# Each target sets up .venv itself (packaging/devenv.sh) before it runs.

VENV := .venv/bin
TEST_WORKERS ?= 2
export QT_API := pyside6

.PHONY: run test typecheck format env lock screenshot bundle bundle-test clean

run: env  ## open the app on the bundled spaceflights example
	$(VENV)/studio $(ARGS)

test: env  ## everything CI runs: lint, format check, import contracts, tests
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/lint-imports
	$(MAKE) --no-print-directory typecheck
	$(VENV)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

format: env
	$(VENV)/ruff format .
	$(VENV)/ruff check --fix .

env:
	@packaging/devenv.sh

screenshot: env  ## render docs/images/main-window(-dark).png (offscreen, default window size)
	QT_QPA_PLATFORM=offscreen $(VENV)/python docs/screenshot.py
	QT_QPA_PLATFORM=offscreen $(VENV)/python docs/screenshot.py --dark --output docs/images/main-window-dark.png

lock:  ## re-resolve uv.lock after changing dependencies in pyproject.toml
	@packaging/devenv.sh --lock

bundle: env  ## build the standalone desktop app into dist/ (see docs/PACKAGING.md)
	$(VENV)/python packaging/build.py

bundle-test: env  ## build the bundle and run every command of it (CI does this too)
	STUDIO_TEST_BUNDLE=1 $(VENV)/pytest tests/packaging/test_bundle.py

clean:
	rm -rf .venv .tools .pytest_cache .ruff_cache build dist

typecheck: env  ## mypy over studio/ as on Windows and on macOS (see [tool.mypy] in pyproject.toml)
	$(VENV)/mypy --platform win32
	$(VENV)/mypy --platform darwin
