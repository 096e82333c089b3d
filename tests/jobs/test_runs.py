"""One helper records every job run: what it did when it ends, and a failed run when it raises."""

from __future__ import annotations

import pytest

from searchsvc.catalog import Catalog
from searchsvc.config import parse_config
from searchsvc.jobs import recorded_run, run_index


def test_a_run_records_its_status_counts_and_errors(tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        with recorded_run(catalog, "crawl") as run:
            run.status, run.counts = "partial", {"sources": {"a": 1}}
            run.errors = [{"source": "b", "error": "HTTP 503"}]
        (recorded,) = catalog.runs()
    assert (recorded.job, recorded.status, recorded.counts) == ("crawl", "partial", {"sources": {"a": 1}})
    assert recorded.errors == [{"source": "b", "error": "HTTP 503"}] and recorded.finished_at


def test_a_job_that_raises_is_recorded_as_failed_and_the_error_goes_on(tmp_path):
    with Catalog.in_dir(tmp_path) as catalog:
        with pytest.raises(RuntimeError, match="disk on fire"):
            with recorded_run(catalog, "rebuild"):
                raise RuntimeError("disk on fire")
        (recorded,) = catalog.runs()
    assert recorded.status == "failed" and recorded.finished_at
    assert recorded.errors == [{"source": "", "error": "rebuild failed: disk on fire"}]


def test_an_index_run_on_an_empty_catalog_is_recorded_with_its_result(tmp_path):
    config = parse_config({"storage": {"data_dir": str(tmp_path)}})
    with Catalog.in_dir(tmp_path) as catalog:
        result = run_index(catalog, config, job="index-full", full=True)
        (recorded,) = catalog.runs()
    assert result["documents"] == 0
    assert recorded.job == "index-full" and recorded.status == "ok" and recorded.counts["index"] == result


def test_the_alerts_step_records_its_runs_without_reaching_the_crawler():
    """The digest step records its run with the jobs' helper, yet imports none of the crawler
    (but its registry of source kinds, which the configuration asks, as on the web)."""
    from tests.core.test_layers import reached

    found = reached("searchsvc.alerts.run") - {"crawler.registry", "crawler.registry.kinds"}
    assert "searchsvc.runrecord.recorded_run" in found
    assert sorted(m for m in found if m.startswith(("crawler", "searchsvc.jobs"))) == []
