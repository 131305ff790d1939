"""The loader: types, provenance, names, the data folder override."""

import pandas as pd
import pytest

import kit
from kit.errors import DataError, UnknownDatasetError

NAMES = ["countries", "defence_spending", "military_expenditure", "spending_targets", "coalition_members",
         "coalition_meetings", "security_timeline", "moldova_elections", "moldova_diaspora", "moldova_timeline"]


@pytest.mark.parametrize("name", NAMES)
def test_every_required_dataset_loads_with_provenance(name):
    df = kit.load(name)
    assert isinstance(df, pd.DataFrame) and len(df) > 0
    prov = df.attrs["provenance"]
    assert prov["as_of"] and prov["review_by"] and prov["sources"] and prov["licenses"]
    assert prov["citation"]


def test_schema_types_become_pandas_types():
    df = kit.load("defence_spending")
    assert str(df["year"].dtype) == "Int64"
    assert df["share_gdp_pct"].dtype == "float64"
    assert str(df["estimate"].dtype) == "boolean"
    assert isinstance(df["edition"].dtype, pd.CategoricalDtype) and df["edition"].cat.ordered
    assert list(df["edition"].cat.categories)[:3] == ["NATO-2024-06", "NATO-AR-2024", "NATO-2025-08"]
    elections = kit.load("moldova_elections")
    assert pd.api.types.is_datetime64_any_dtype(elections["date"])
    assert str(elections["seats"].dtype) == "Int64"
    stance = kit.load("coalition_members")["ground_troops_stance"]
    assert stance.cat.ordered and list(stance.cat.categories) == ["offered", "conditional", "ruled_out", "unknown", "not_applicable"]


def test_loads_are_independent_copies():
    a = kit.load("countries")
    a.loc[0, "name"] = "changed"
    assert kit.load("countries").loc[0, "name"] != "changed"


def test_unknown_name_suggests_the_closest():
    with pytest.raises(UnknownDatasetError) as err:
        kit.load("defense_spending")
    message = str(err.value)
    assert "no dataset 'defense_spending'; did you mean 'defence_spending'?" in message
    assert "moldova_elections" in message  # the list of available names


def test_tab_completion_lists_dataset_loaders():
    names = dir(kit.data)
    assert "defence_spending" in names and "moldova_timeline" in names
    loader = kit.data.moldova_elections
    assert "One row per competitor" in loader.__doc__ and "turnout_pct" in loader.__doc__
    assert loader().equals(kit.load("moldova_elections"))
    with pytest.raises(AttributeError):
        _ = kit.data.no_such_dataset


def test_datasets_lists_every_resource_with_rows_and_dates():
    table = kit.datasets()
    assert set(NAMES) <= set(table["name"])
    assert (table["rows"] > 0).all() and table["as_of"].notna().all()


def test_cite_sipri_uses_its_required_wording():
    assert kit.cite("military_expenditure") == "SIPRI Military Expenditure Database 2025, https://www.sipri.org/databases/milex"


def test_kit_data_dir_points_the_loader_elsewhere(data_copy):
    from conftest import edit_cell

    edit_cell(data_copy, "countries.csv", 2, "name", "Albania (edited copy)")
    assert kit.load("countries").loc[0, "name"] == "Albania (edited copy)"


def test_broken_data_raises_one_kit_error_naming_file_row_column(data_copy):
    from conftest import edit_cell

    edit_cell(data_copy, "defence_spending.csv", 5, "share_gdp_pct", "abc")
    with pytest.raises(DataError) as err:
        kit.load("defence_spending")
    assert "defence_spending.csv, row 5, column share_gdp_pct: 'abc': expected a number" in str(err.value)


def test_missing_data_folder_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("KIT_DATA_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(kit.KitError, match="No datapackage.json in .*nowhere.*KIT_DATA_DIR"):
        kit.load("countries")


def test_an_edited_file_that_a_references_rule_reads_is_never_served_stale(data_copy):
    """moldova_diaspora's election ids must exist in moldova_elections (a declared 'references' rule):
    editing that other file must reach the next load, not a cached frame."""
    assert len(kit.load("moldova_diaspora")) > 0
    path = data_copy / "moldova_elections.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("MD-PARL-2025", "MD-PARL-20250"), encoding="utf-8")
    with pytest.raises(DataError, match="moldova_diaspora.csv.*MD-PARL-2025"):
        kit.load("moldova_diaspora")


def test_an_edited_file_that_a_foreign_key_reads_is_never_served_stale(data_copy):
    """defence_spending's iso3 codes must be listed in countries (a foreign key): removing a country from
    that other file must reach the next load of defence_spending, not a cached frame."""
    assert len(kit.load("defence_spending")) > 0
    path = data_copy / "countries.csv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("BEL,")), encoding="utf-8")
    with pytest.raises(DataError, match="defence_spending.csv, row .*, column iso3: 'BEL': expected a value listed in"):
        kit.load("defence_spending")


def test_load_never_imports_frictionless():
    """kit.load keeps the kit's own fast checks; only check-data pays for frictionless's import (kit.data.validate)."""
    import subprocess
    import sys

    code = "import sys, kit; kit.load('moldova_diaspora'); print('frictionless' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False", done.stderr


def test_readme_without_table_markers_is_a_kit_error_not_an_exit(tmp_path):
    """A library function raises the kit's error; only the command line turns it into an exit status."""
    from kit.data.catalog import rewrite_readme

    readme = tmp_path / "README.md"
    readme.write_text("# no dataset table here\n", encoding="utf-8")
    with pytest.raises(kit.KitError, match="no dataset table markers"):
        rewrite_readme(readme)
    assert readme.read_text(encoding="utf-8") == "# no dataset table here\n"
