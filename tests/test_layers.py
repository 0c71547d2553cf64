"""The import direction (core <- accounts <- applications <- reviews <- disbursements <- evaluation) is the
import-linter contract of pyproject.toml; these tests run it, so a new upward import fails the suite too."""

import copy
import subprocess
import sys
from pathlib import Path

import grimp
import pytest
from importlinter import api
from importlinter.contracts.layers import LayersContract

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "pyproject.toml"
LAYERS = ["zhengzhou_grants", "api", "evaluation", "aftercare", "disbursements", "reviews", "applications", "credit",
          "accounts", "core"]


@pytest.fixture(scope="module")
def configuration():
    return api.read_configuration(str(CONFIG))


@pytest.fixture(scope="module")
def contract(configuration):
    (options,) = [c for c in configuration["contracts_options"] if c["type"] == "layers"]
    return LayersContract(name=options["name"], session_options=configuration["session_options"],
                          contract_options=options)


@pytest.fixture(scope="module")
def graph(configuration):
    return grimp.build_graph(*configuration["session_options"]["root_packages"], cache_dir=None)


def test_the_code_keeps_the_import_direction():
    result = subprocess.run([Path(sys.executable).with_name("lint-imports"), "--config", str(CONFIG), "--no-cache"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 kept, 0 broken" in result.stdout


def test_the_contract_covers_every_app_and_ignores_no_import(contract):
    assert [str(layer) for layer in contract.contract_options["layers"]] == LAYERS
    assert list(contract.contract_options.get("ignore_imports", [])) == []  # core's navigation asks permissions


@pytest.mark.parametrize(("importer", "imported"), [
    ("core.models", "accounts.models"),
    ("accounts.views", "applications.selectors"),
    ("reviews.services.payable", "disbursements.services"),
    ("applications.templatetags.applications_tags", "evaluation.models"),
    ("evaluation.models", "zhengzhou_grants.settings.base"),
    ("credit.selectors", "applications.models"),
    ("evaluation.results", "api.views"),
])
def test_an_upward_import_breaks_the_contract(contract, graph, importer, imported):
    assert contract.check(copy.deepcopy(graph), verbose=False).kept
    changed = copy.deepcopy(graph)
    changed.add_import(importer=importer, imported=imported, line_number=1, line_contents=f"import {imported}")
    assert not contract.check(changed, verbose=False).kept
