"""The links a teacher gives students for the published student bundle: nbgitpuller (JupyterHub) and Binder."""

from urllib.parse import parse_qs, urlsplit

import pytest

from kit.exercises.bundle import binder_link, nbgitpuller_link


def test_nbgitpuller_link_pulls_the_repository_and_opens_the_notebook_in_jupyterlab():
    link = nbgitpuller_link("https://hub.school.example/", "https://gitlab.school.example/class/eusec-ex.git",
                            branch="week3", notebook="02_gap_to_3_5.ipynb")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "hub.school.example", "/hub/user-redirect/git-pull")
    assert parse_qs(parts.query) == {"repo": ["https://gitlab.school.example/class/eusec-ex.git"],
                                     "urlpath": ["lab/tree/eusec-ex/02_gap_to_3_5.ipynb"], "branch": ["week3"]}


def test_nbgitpuller_link_keeps_a_hub_under_a_path_and_can_open_the_folder_in_the_classic_notebook():
    link = nbgitpuller_link("https://school.example/jupyter", "https://github.com/me/eusec-exercises", app="tree")
    parts = urlsplit(link)
    assert parts.path == "/jupyter/hub/user-redirect/git-pull"
    assert parse_qs(parts.query)["urlpath"] == ["tree/eusec-exercises"]
    with pytest.raises(ValueError):
        nbgitpuller_link("https://hub.example", "https://github.com/me/x", app="rstudio")


def test_binder_link_for_github_and_for_any_other_git_host():
    assert binder_link("https://github.com/me/eusec-exercises.git", notebook="01_spending_targets.ipynb") == \
        "https://mybinder.org/v2/gh/me/eusec-exercises/main?urlpath=lab%2Ftree%2F01_spending_targets.ipynb"
    other = urlsplit(binder_link("https://gitlab.com/me/eusec-exercises", branch="v1"))
    assert other.path == "/v2/git/https%3A%2F%2Fgitlab.com%2Fme%2Feusec-exercises/v1"
