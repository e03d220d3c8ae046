"""A bounded load test on loopback (bench/load.py): no errors, flat memory."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_server_under_concurrent_load_has_no_errors_and_flat_memory(shared):
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "load.py"), "--clients", "20",
                           "--seconds", "10", "--stories", "12", "--json"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    for name, endpoint in report["endpoints"].items():
        assert endpoint["requests"] > 0, name
        assert endpoint["errors"] == 0, (name, endpoint["statuses"])
    assert report["rss_growth_pct"] <= 20
