"""A short speaker name ("Reed") is resolved against every speaker name, read once per index version.

Reading the names scans every passage in the catalog, so a speaker page must not do it per request;
a reindex that brings a new speaker must still let their short name resolve.
"""

from __future__ import annotations

from searchsvc.web import create_app
from searchsvc.web.listings import SpeakerNames, speaker_names
from searchsvc.web.pages import SPEAKER_NAMES
from tests.alerts.conftest import publish_item
from tests.index.test_index_warm import until_warmed
from tests.web import sampledata

QUILL = "Councillor Zoe Quill"


def test_short_names_are_read_once_per_index_version_and_a_reindex_brings_new_speakers(tmp_path):
    data_dir = sampledata.build(tmp_path / "data")
    config = sampledata.config(data_dir)
    app = create_app(config, {"TESTING": True, "SEARCHSVC_DATA_DIR": str(data_dir)})
    scans: list[int] = []

    def counted(catalog):
        scans.append(1)
        return speaker_names(catalog)

    app.extensions[SPEAKER_NAMES] = SpeakerNames(counted)
    client = app.test_client()
    try:
        for _ in range(3):
            response = client.get("/speakers/Reed")
            assert response.status_code == 301 and response.headers["Location"] == "/speakers/Councillor%20Jan%20Reed"
        assert client.get("/speakers/Quill").status_code == 404  # nobody of that name yet
        assert len(scans) == 1  # one scan served all four pages

        publish_item(config, "Riverside path", "Councillor Quill asked about the riverside path.", speaker=QUILL)
        client.get("/api/search?q=riverside")  # the first request after the commit starts warming the new version
        until_warmed(app.extensions["searchsvc"].reader)
        response = client.get("/speakers/Quill")
        assert response.status_code == 301 and response.headers["Location"] == "/speakers/Councillor%20Zoe%20Quill"
        assert client.get("/speakers/Reed").status_code == 301
        assert len(scans) == 2  # the new version's names, read once
    finally:
        app.extensions["searchsvc"].close()
