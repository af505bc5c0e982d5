"""What the jobs of scripts/bench.py share: writing files, reading JSON, one row's name."""
import json
import os


def dump(obj):
    return json.dumps(obj, separators=(",", ":"))


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def cmd_get(a):
    """Print key a.key of the JSON object in a.info (a list: space-separated)."""
    with open(a.info, encoding="utf-8") as f:
        v = json.load(f)[a.key]
    if isinstance(v, list):
        print(" ".join(str(x) for x in v))
    else:
        print(v)


def load_json(path, default=None):
    if not os.path.exists(path):
        return default
    with open(path, encoding="utf-8") as f:
        return json.load(f)


THEN_REMOVE_ROW = "bare bwrap, then its mount points removed"
# The breakdown row of bare bwrap running cordon's inner stage (scripts/bench.d/side.sh).
STAGE_ROW = "bare bwrap + cordon inner stage"
