# The project's one task runner.  `make run` does the main job, `make test` runs every check.
# Both build .venv from environment.yml first (a no-op when it is up to date).

PY := .venv/bin/python
PYTEST_ARGS ?=

.PHONY: env data run test lint format lab bench

env:
	@python3 tools/build_env.py

data: env
	@$(PY) -m arabmedia fetch

run: data
	@$(PY) -m arabmedia run

lint: env
	@$(PY) -m ruff check .
	@$(PY) -m ruff format --check .

format: env
	@$(PY) -m ruff check --fix .
	@$(PY) -m ruff format .

# BLAS/OpenMP threads per pytest worker: the cores shared by the two workers (more threads than
# cores make every worker spin-wait; results do not depend on it).
THREADS := $(shell python3 -c "import os; print(max(1, (os.cpu_count() or 1) // 2))")

test: lint data
	@OMP_NUM_THREADS=$(THREADS) OPENBLAS_NUM_THREADS=$(THREADS) MKL_NUM_THREADS=$(THREADS) \
		$(PY) -m pytest -n 2 --dist loadfile --nbval --nbval-current-env --nbval-kernel-startup-timeout=300 \
		--nbval-sanitize-with notebooks/sanitize.cfg $(PYTEST_ARGS)
	@$(PY) tools/check_outputs.py figures

lab: env
	@$(PY) tools/lab.py

bench: data
	@$(PY) -m arabmedia bench
