#!/usr/bin/env bash
# The server CPU one sign-in costs on an all-in-one server (embedded Garnet), once warm: 2,000 sign-ins to warm up, then
# N more (20 at a time), and the server process's CPU time over those N divided by N. usage: bench/scripts/signin-cpu.sh [N=4000]
source "$(dirname "$0")/allinone.sh"
n=${1:-4000}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
python3 "$root/bench/scripts/signins.py" 2000 "$port" | sed 's/^/warm-up: /'
before=$(cpu_ticks)
python3 "$root/bench/scripts/signins.py" "$n" "$port"
after=$(cpu_ticks)
python3 -c "import os; t=os.sysconf('SC_CLK_TCK'); print(f'server CPU per sign-in: {($after - $before) * 1000 / t / $n:.2f} ms')"
