"""A new facet is one definition: added to ``searchsvc.facets.FACETS`` (before the rest of the
package is imported, as a code change would), it is indexed, filtered, counted, echoed, offered
by the CLI and described by the OpenAPI document, with no other change."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

SCRIPT = r'''
import json, sys
from datetime import date
import searchsvc.facets as f

weekday = f.Facet("weekday", "Day of the week", lambda d: d.date.strftime("%A") if d.date else None,
                  "Day of the week the meeting was held (repeat to OR several).", echo="held on a")
f.FACETS = f.FACETS + (weekday,)
f.FACET_NAMES = tuple(x.name for x in f.FACETS)
f._BY_NAME["weekday"] = weekday

from click.testing import CliRunner
from searchsvc.cli import cli
from searchsvc.config import parse_config
from searchsvc.index import IndexStore, ItemDoc
from searchsvc.records import Passage
from searchsvc.web import create_app

data = sys.argv[1]
docs = [ItemDoc(id=f"t:item:{n}", source="t", committee="Cabinet", committee_id="1", meeting_id=f"t:meeting:{n}",
                date=date(2024, 1, 1 + n), number=f"{n}.", title=f"Budget item {n}",
                passages=(Passage("p1", "The budget was discussed."),)) for n in range(7)]
IndexStore(data, build_procs=1).build_full(docs)
config = parse_config({"storage": {"data_dir": data}})
app = create_app(config, {"TESTING": True, "SEARCHSVC_DATA_DIR": data})
client = app.test_client()
out = {}
body = client.get("/api/search?q=budget&weekday=Monday&weekday=tuesday").get_json()
out["total"] = body["total"]
out["facet"] = {v["value"]: v["count"] for v in body["facets"]["weekday"]}
out["echo"] = "held on a “Monday” or “tuesday”" in client.get("/search?q=budget&weekday=Monday&weekday=tuesday").get_data(as_text=True)
params = client.get("/api/openapi.json").get_json()["paths"]["/api/search"]["get"]["parameters"]
out["openapi"] = [p["name"] for p in params][:7]
out["cli"] = "--weekday" in CliRunner().invoke(cli, ["search", "--help"]).output
print(json.dumps(out))
'''


def test_a_new_facet_is_one_definition(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path)], capture_output=True, text=True, env=env, check=False,
                          cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    # 2024-01-01 is a Monday: items 0 (Mon) and 1 (Tue) are chosen; every day is counted.
    assert out["total"] == 2
    assert out["facet"] == {"Monday": 1, "Tuesday": 1, "Wednesday": 1, "Thursday": 1, "Friday": 1,
                            "Saturday": 1, "Sunday": 1}
    assert out["echo"] and out["cli"]
    assert out["openapi"] == ["q", "committee", "speaker", "topic", "year", "source", "weekday"]
