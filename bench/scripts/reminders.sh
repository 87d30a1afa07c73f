#!/usr/bin/env bash
# Sign-ins per second of an all-in-one server (embedded Garnet) before and after its reminder table holds N more rows
# (one per live session). usage: bench/scripts/reminders.sh [N=100000] [layout=new]
# layout "old" fills the one sorted set of Orleans' own Redis reminder table (for a checkout before the index).
source "$(dirname "$0")/allinone.sh"
n=${1:-100000}
layout=${2:-new}
python3 "$root/bench/scripts/signins.py" 2000 "$port" | sed 's/^/warm-up: /'
python3 "$root/bench/scripts/fill-reminders.py" "$layout" "$n" "$garnet"
python3 "$root/bench/scripts/signins.py" 2000 "$port" | sed "s/^/with $n more reminders: /"
