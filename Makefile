# Two entry points for a fresh machine: `make demo` and `make test`.
# Everything else (venvs, RabbitMQ, the Watcher sandbox) is installed here.
PYTHON ?= python3
VENV ?= .venv
# A second venv with python-watcherclient beside us, for coexistence tests.
VENV_WC ?= .venv-watcherclient
WATCHERCLIENT ?= python-watcherclient==4.11.0
SANDBOX = $(PYTHON) tools/sandbox
# A second sandbox, with Keystone, on its own ports, for the auth tests.
KEYSTONE_SANDBOX_DIR ?= $(CURDIR)/.sandbox-keystone
KEYSTONE_API_PORT ?= 9332
KEYSTONE_AMQP_PORT ?= 5682
KEYSTONE_DIST_PORT ?= 25682
KEYSTONE_EPMD_PORT ?= 4379
KEYSTONE_SANDBOX = WATCHER_SANDBOX_AUTH=keystone \
	WATCHER_SANDBOX_DIR=$(KEYSTONE_SANDBOX_DIR) \
	WATCHER_SANDBOX_API_PORT=$(KEYSTONE_API_PORT) \
	WATCHER_SANDBOX_AMQP_PORT=$(KEYSTONE_AMQP_PORT) \
	WATCHER_SANDBOX_DIST_PORT=$(KEYSTONE_DIST_PORT) \
	WATCHER_SANDBOX_EPMD_PORT=$(KEYSTONE_EPMD_PORT) \
	$(PYTHON) tools/sandbox
PYTEST_ARGS ?=
# The release table (tools/sandbox_lib/releases.py) names the releases.
RELEASES = $(PYTHON) tools/sandbox_lib/releases.py
# The noauth functional tests against older Watcher releases: one release
# at a time, each in a sandbox of its own, on ports of their own.
MATRIX_RELEASES ?= $(shell $(RELEASES) matrix)
# `make test` runs the tests marked smoke against this one.
SMOKE_RELEASE ?= $(shell $(RELEASES) smoke)
MATRIX_SANDBOX_DIR ?= $(CURDIR)/.sandbox-matrix
MATRIX_API_PORT ?= 9342
MATRIX_AMQP_PORT ?= 5692
MATRIX_DIST_PORT ?= 25692
MATRIX_EPMD_PORT ?= 4389
TEST_MATRIX = WATCHER_SANDBOX_DIR=$(MATRIX_SANDBOX_DIR) \
	WATCHER_SANDBOX_API_PORT=$(MATRIX_API_PORT) \
	WATCHER_SANDBOX_AMQP_PORT=$(MATRIX_AMQP_PORT) \
	WATCHER_SANDBOX_DIST_PORT=$(MATRIX_DIST_PORT) \
	WATCHER_SANDBOX_EPMD_PORT=$(MATRIX_EPMD_PORT) \
	WATCHERCLIENT_VENV="$(CURDIR)/$(VENV_WC)" \
	$(PYTHON) tools/test_matrix --python $(VENV)/bin/python

.PHONY: venv demo lint test test-matrix unit functional sandbox-up \
	sandbox-down docs benchmark clean

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e '.[test,doc]'
	touch $@

$(VENV_WC)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV_WC)
	$(VENV_WC)/bin/pip install -q -e . '$(WATCHERCLIENT)'
	touch $@

venv: $(VENV)/.installed

sandbox-up:
	$(SANDBOX) up

sandbox-down:
	$(SANDBOX) down

demo: venv sandbox-up
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" tools/demo

# pycodestyle, pyflakes and hacking's checks (ruff.toml), and the package's
# import direction (no circle; api/ and bus/ never import commands/). It is
# quick, so `make test` runs it first and stops there on a lint error.
lint: venv
	$(VENV)/bin/ruff check
	$(VENV)/bin/python -m pytest -q -p no:cacheprovider tests/unit/test_imports.py

unit: venv
	$(VENV)/bin/python -m pytest tests/unit $(PYTEST_ARGS)

# Brings both sandboxes up (noauth first: it installs RabbitMQ and Watcher),
# runs every test, and takes down again, even when tests fail, whatever
# was not already up before; then the smoke tests on $(SMOKE_RELEASE).
test: venv lint $(VENV_WC)/.installed
	@was_up=0; $(SANDBOX) status >/dev/null 2>&1 && was_up=1; \
	ks_was_up=0; $(KEYSTONE_SANDBOX) status >/dev/null 2>&1 && ks_was_up=1; \
	status=1; \
	if $(SANDBOX) up && $(KEYSTONE_SANDBOX) up; then \
	  WATCHERCLIENT_VENV="$(CURDIR)/$(VENV_WC)" \
	  WATCHER_SANDBOX_KEYSTONE_DIR="$(KEYSTONE_SANDBOX_DIR)" \
	    $(VENV)/bin/python -m pytest tests $(PYTEST_ARGS); status=$$?; \
	fi; \
	[ $$ks_was_up = 1 ] || $(KEYSTONE_SANDBOX) down; \
	[ $$was_up = 1 ] || $(SANDBOX) down; \
	$(TEST_MATRIX) --releases $(SMOKE_RELEASE) -- -m smoke $(PYTEST_ARGS) \
	  || status=1; \
	exit $$status

# Prints a table: release, newest microversion, passed, failed, skipped.
test-matrix: venv $(VENV_WC)/.installed
	$(TEST_MATRIX) --releases $(MATRIX_RELEASES) -- $(PYTEST_ARGS)

docs: venv
	$(VENV)/bin/sphinx-build -q -W -b html doc/source doc/build/html

benchmark: venv $(VENV_WC)/.installed sandbox-up
	WATCHERCLIENT_VENV="$(CURDIR)/$(VENV_WC)" \
	  WATCHER_SANDBOX_KEYSTONE_DIR="$(KEYSTONE_SANDBOX_DIR)" \
	  $(VENV)/bin/python benchmarks/startup.py
	$(VENV)/bin/python benchmarks/cancel_latency.py
	$(VENV)/bin/python benchmarks/history.py
	$(VENV)/bin/python benchmarks/notifications.py

clean:
	rm -rf $(VENV) $(VENV_WC) doc/build
