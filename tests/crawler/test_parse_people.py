"""Party, ward and key posts beside members' names: web service attendees, attendance tables and
committee membership lists (markup invented here in the shapes ModernGov prints)."""

from __future__ import annotations

from crawler.moderngov import parse_attendance_page, parse_committee_page, parse_ws_meeting
from crawler.moderngov.people import is_party, split_brackets
from searchsvc.records import Member

BASE = "https://council.example/"

GETMEETING = """<?xml version="1.0" encoding="utf-8"?>
<meeting><meetingid>77</meetingid><meetingdate>04/03/2025</meetingdate><meetingtime>7.00 pm</meetingtime>
<meetingstatus>Confirmed</meetingstatus><agendaitems/>
<attendees>
 <attendee membertype="U" memberid="41" name="Councillor Mina Dale" roledescription="Chair" attendance="Present, as expected"
   politicalparty="Liberal Democrats" ward="Riverside" keyposts="Deputy Leader of the Council and Cabinet Member for Resources&#10;Chair of the Licensing Committee"/>
 <attendee membertype="U" memberid="52" name="Revd Paul Ashe" roledescription="Co-opted Member" attendance="Present, as expected"
   politicalparty=" " ward=" " keyposts=" " representing="Diocese of Exton"/>
 <attendee membertype="O" memberid="0" name="Managing Director" roledescription="Officer" attendance="In attendance"/>
</attendees></meeting>"""


def test_web_service_attendees_carry_party_ward_and_each_key_post():
    page = parse_ws_meeting(GETMEETING, BASE + "mgWebService.asmx/GetMeeting?lMeetingId=77")
    dale, ashe, md = page.meeting.attendance
    assert dale == Member(
        name="Councillor Mina Dale", role="Chair", uid="41", attendance="Present", party="Liberal Democrats",
        ward="Riverside",
        posts=("Deputy Leader of the Council and Cabinet Member for Resources", "Chair of the Licensing Committee"),
    )
    # A co-opted member represents a body, not a ward; blank attributes stay empty.
    assert (ashe.party, ashe.ward, ashe.posts) == ("", "Diocese of Exton", ())
    assert (md.party, md.ward, md.posts, md.uid) == ("", "", (), "")


ATTENDANCE = """<div id="modgov"><div class="mgSubTitle"><h2 class="mgSubTitleTxt">Cabinet - Tuesday 4 March 2025 7.00 pm</h2></div>
<div class="mgContent"><table class="mgTabTable"><caption>Attendees</caption>
 <thead><tr><th>Attendee</th><th>Role</th><th>Attendance</th><th>Party</th><th>Ward</th><th>Key posts</th></tr></thead>
 <tbody>
  <tr><td><a href="mgUserInfo.aspx?UID=41">Councillor Mina Dale</a></td><td>Chair</td><td>Present, as expected</td>
      <td>Liberal Democrats</td><td>Riverside</td><td>Cabinet Member for Resources; Deputy Leader</td></tr>
  <tr><td>Managing Director</td><td>Officer</td><td>In attendance</td><td></td><td></td><td></td></tr>
 </tbody></table>
 <table class="mgTabTable"><caption>Apologies</caption><tbody>
  <tr><td><a href="mgUserInfo.aspx?UID=60">Councillor Ola Brook</a> (Green Party)</td><td>Committee Member</td></tr>
 </tbody></table></div></div>"""


def test_attendance_table_reads_party_ward_and_posts_columns_by_header():
    page = parse_attendance_page(ATTENDANCE, BASE + "mgMeetingAttendance.aspx?ID=77")
    dale, md, brook = page.members
    assert (dale.party, dale.ward, dale.posts) == ("Liberal Democrats", "Riverside",
                                                  ("Cabinet Member for Resources", "Deputy Leader"))
    assert (md.name, md.party, md.ward) == ("Managing Director", "", "")
    # No party column, but the name cell gives it in brackets.
    assert (brook.name, brook.attendance, brook.party) == ("Councillor Ola Brook", "Apologies", "Green Party")


COMMITTEE = """<div id="modgov"><div class="mgSubTitle"><h2 class="mgSubTitleTxt">Planning Committee</h2></div>
<ul class="mgActionList"><li><a href="ieListMeetings.aspx?CommitteeId=12">Browse meetings</a></li></ul>
<div class="mgContent"><h2 class="mgSectionTitle">Membership</h2><ul class="mgBulletList">
 <li><a href="mgUserInfo.aspx?UID=41">Councillor Mina Dale</a> (Chair) (Liberal Democrats)</li>
 <li><a href="mgUserInfo.aspx?UID=43">Councillor Ken Ross</a> (Vice-Chair, Chair of the Labour Group)</li>
 <li><a href="mgUserInfo.aspx?UID=44">Councillor Ann Lowe</a> &ndash; Conservative</li>
 <li><a href="mgUserInfo.aspx?UID=45">Councillor Sam Fry</a></li>
</ul></div></div>"""


def test_committee_membership_reads_role_and_party_brackets_without_guessing():
    members = parse_committee_page(COMMITTEE, BASE + "mgCommitteeDetails.aspx?ID=12").committee.members
    assert [(m.name, m.role, m.party) for m in members] == [
        ("Councillor Mina Dale", "Chair", "Liberal Democrats"),
        ("Councillor Ken Ross", "Vice-Chair, Chair of the Labour Group", ""),  # an office, not a party
        ("Councillor Ann Lowe", "Committee Member", "Conservative"),
        ("Councillor Sam Fry", "Committee Member", ""),
    ]


COMMITTEE_TABLE = """<div id="modgov"><div class="mgSubTitle"><h2 class="mgSubTitleTxt">Cabinet</h2></div>
<div class="mgContent"><table class="mgTabTable"><thead><tr><th>Councillor</th><th>Role</th><th>Political group</th><th>Ward</th></tr></thead>
 <tr><td><a href="mgUserInfo.aspx?UID=41">Councillor Mina Dale</a></td><td>Leader</td><td>Liberal Democrats</td><td>Riverside</td></tr>
</table></div></div>"""


def test_committee_membership_table_view():
    members = parse_committee_page(COMMITTEE_TABLE, BASE + "mgCommitteeDetails.aspx?ID=3").committee.members
    assert members == (Member(name="Councillor Mina Dale", role="Leader", uid="41", party="Liberal Democrats",
                              ward="Riverside"),)


def test_party_words():
    assert is_party("Labour") and is_party("Liberal Democrats") and is_party("Independent Group")
    assert is_party("Lab") and is_party("Con") and is_party("LD") and is_party("Lib Dem") and not is_party("Vice")
    assert not is_party("Chair") and not is_party("Leader of the Conservative Group") and not is_party("")
    assert split_brackets(" (Substitute)") == ("Substitute", "")
