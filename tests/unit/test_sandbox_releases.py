"""The release table that tools/sandbox, the matrix and the tests read."""

import pytest
from sandbox_lib import releases
from sandbox_lib.releases import Release


def test_the_matrix_runs_oldest_first_and_holds_the_default():
    versions = [tuple(map(int, v.split("."))) for v in releases.MATRIX]
    assert versions == sorted(versions)
    assert releases.DEFAULT_VERSION == releases.MATRIX[-1]
    assert releases.SMOKE_VERSION == releases.MATRIX[0]
    assert [Release.named(v).series.name for v in releases.MATRIX] == [
        "2025.1", "2025.2", "2026.1", "master"]


@pytest.mark.parametrize("version", ["18.0.0", "17.0", "x.1.2", "",
                                     "13.0.0"])
def test_a_release_outside_the_table_is_refused(version):
    with pytest.raises(releases.ReleaseError, match="14, 15, 16, 17"):
        Release.named(version)


@pytest.mark.parametrize("version, package, api", [
    ("14.1.2", "watcher.cmd", (1, 4)),
    ("15.1.2", "watcher.cmd.eventlet", (1, 6)),
    ("17.0.0", "watcher.cmd.eventlet", (1, 7)),
])
def test_service_modules_and_microversions(version, package, api):
    release = Release.named(version)
    assert release.series.service_package == package
    assert release.max_api_version == api


def test_newest_microversion_is_the_newest_release_s():
    assert releases.NEWEST_API_VERSION == Release.named(
        releases.DEFAULT_VERSION).max_api_version


def test_workarounds_apply_to_the_releases_that_need_them():
    assert [v for v in releases.MATRIX if Release.named(v).needs(
        releases.API_NEEDS_EVENTLET)] == ["17.0.0"]
    assert all(Release.named(v).needs(releases.WEBHOOKS_AUTH_READ_EARLY)
               for v in releases.MATRIX)


def test_behaviours_came_with_16_0():
    assert [v for v in releases.MATRIX
            if Release.named(v).has("cancel-ongoing")] == ["16.0.2", "17.0.0"]
    with pytest.raises(KeyError):
        Release.named("17.0.0").has("time-travel")


def test_only_the_default_release_keeps_the_plain_names():
    assert (Release.named("17.0.0").venv_name,
            Release.named("17.0.0").database_name) == (
        ".sandbox-venv", "watcher.sqlite")
    assert (Release.named("14.1.2").venv_name,
            Release.named("14.1.2").database_name) == (
        ".sandbox-venv-14.1.2", "watcher-14.1.2.sqlite")


def test_constraints_file(tmp_path, monkeypatch):
    monkeypatch.setenv(releases.CONSTRAINTS_DIR_VARIABLE, str(tmp_path))
    assert Release.named("17.0.0").constraints_file(tmp_path) is None
    with pytest.raises(releases.ReleaseError,
                       match="upper-constraints-2025.1.txt"):
        Release.named("14.1.2").constraints_file(tmp_path)
    (tmp_path / "upper-constraints-2025.1.txt").write_text("")
    assert Release.named("14.1.2").constraints_file(tmp_path) == (
        tmp_path / "upper-constraints-2025.1.txt")


@pytest.mark.parametrize("name, printed", [
    ("matrix", ",".join(releases.MATRIX)), ("smoke", "14.1.2"),
    ("default", "17.0.0")])
def test_the_makefile_reads_the_lists(capsys, name, printed):
    releases.main([name])
    assert capsys.readouterr().out == printed + "\n"
