#!/usr/bin/env bash
# update-results.sh <section> <file>: replaces the section of benchmarks/RESULTS.md between
# "<!-- section:begin -->" and "<!-- section:end -->" with the file's contents (appending the
# section if it is new). Written to a temporary file and renamed, so RESULTS.md is never torn.
set -euo pipefail
section=$1
body=$2
results=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/RESULTS.md
[ -f "$results" ] || printf '# Benchmark results\n\nMachine: see each section.\n' > "$results"
/usr/bin/python3 - "$results" "$section" "$body" <<'PY'
import datetime, os, platform, sys
path, section, body_path = sys.argv[1:]
text = open(path).read()
begin, end = f"<!-- {section}:begin -->", f"<!-- {section}:end -->"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
stamp = datetime.date.today().isoformat()
block = (f"{begin}\n## {section}\n\n{stamp}, {cpu}, {os.cpu_count()} cores, {platform.system()}.\n\n"
         + open(body_path).read().rstrip() + f"\n{end}")
if begin in text and end in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.rstrip() + "\n\n" + block + "\n"
tmp = path + ".tmp"
open(tmp, "w").write(text)
os.replace(tmp, path)
PY
echo "results: updated section '$section' of $results"
