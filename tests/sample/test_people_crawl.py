"""Party, ward and key posts of the sample council's members reach the catalog, crawled through the
HTML pages and through the web service alike."""

from __future__ import annotations

import pytest

from searchsvc.catalog import Catalog
from searchsvc.records import HELD
from searchsvc.sample import Council, SampleSite
from tests.jobs.sample_helpers import crawl

SIZE = 0.04


def test_key_posts_follow_the_cabinet_and_the_chairs():
    council = Council(seed=3, size=SIZE)
    full_council = next(c for c in council.committees() if c.kind == "council")
    m = next(m for m in council.meetings(full_council.committee_id) if m.status == HELD)
    rows = {a.name: a for a in council.attendance(m.meeting_id)}
    chair = next(a for a in rows.values() if a.role == "Chair")
    assert "Mayor" in chair.posts
    assert sum("Leader of the Council" in a.posts for a in rows.values()) == 1
    assert any(p.startswith("Cabinet Member for") for a in rows.values() for p in a.posts)
    assert all(a.party and a.ward for a in rows.values() if a.uid and a.role != "Co-opted Member")
    assert all(not a.posts and not a.party for a in rows.values() if a.role == "Officer")


@pytest.mark.parametrize("webservice", [False, True], ids=["html", "webservice"])
def test_crawled_attendance_and_membership_carry_party_ward_and_posts(webservice, tmp_path):
    with SampleSite(seed=3, size=SIZE, webservice=webservice) as site, Catalog.in_dir(tmp_path) as catalog:
        report = crawl(site, catalog, tmp_path)
        assert report.errors == []
        checked = 0
        for meeting in catalog.meetings():
            truth = {a.name: a for a in site.attendance(int(meeting.meeting_id))}
            for member in meeting.attendance:
                want = truth[member.name]
                assert (member.party, member.ward, member.posts) == (want.party, want.ward, want.posts), member
                checked += bool(member.posts)
        assert checked > 20
        committee = site.committees()[0]
        stored = catalog.committee(f"sample:committee:{committee.committee_id}")
        parties = {m.name: m.party for m in stored.members}
        assert parties == {mi.name: site.person(mi.uid).party for mi in site.membership(committee.committee_id)}


def test_profile_finds_a_person_seen_only_in_older_meetings_and_never_guesses(tmp_path):
    from datetime import datetime, timedelta

    from searchsvc.people import profile
    from searchsvc.records import Meeting, Member

    with Catalog.in_dir(tmp_path) as catalog:
        batch = catalog.start_batch("test")
        start = datetime(2020, 1, 1, 19)
        for n in range(100):  # Jan Reed attends only the oldest of 100 meetings
            people = (Member("Councillor Ann Other", party="Labour", ward="North"),)
            if n == 5:
                people += (Member("Councillor Bo Reed", party="Green Party"),)
            if n == 0:
                people += (Member("Councillor Jan Reed", party="Conservative", ward="Riverside",
                                  posts=("Cabinet Member for Housing",)),)
            catalog.upsert_meeting(Meeting("s", "1", "Council", str(n), start + timedelta(days=n),
                                           attendance=people), batch)
        catalog.upsert_meeting(Meeting("s", "1", "Council", "x", start + timedelta(days=200),
                                       attendance=(Member("Councillor Jan Reed", ward="Riverside West"),)), batch)
        found = profile(catalog, "Councillor Jan Reed")
        assert (found.party, found.ward, found.posts) == ("", "Riverside West", ())  # the newest wins
        assert profile(catalog, "Reed") is None  # Jan Reed or Bo Reed: ambiguous, so nothing
        assert profile(catalog, "Bo Reed").party == "Green Party"
        assert profile(catalog, "Councillor Nobody") is None
        assert profile(catalog, "Ann Other").party == "Labour"
