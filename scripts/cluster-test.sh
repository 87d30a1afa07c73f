#!/usr/bin/env bash
# The fault rig: builds Release, then starts redis-server (AOF on, appendfsync always), 2 silos and 2 front-ends as
# real processes on loopback (and, for scenario 10, an all-in-one server of its own) and runs the twelve fault
# scenarios against them (bench/OrleansTabs.Load, command `faults`), printing one summary line per scenario. Exits
# non-zero if any scenario fails. Every process it started is stopped by its PID, pass or fail: by the driver itself,
# and by the trap below for anything a killed or hung driver left behind.
#
#   scripts/cluster-test.sh                    # all scenarios
#   scripts/cluster-test.sh --scenarios 2,6    # some of them
#   scripts/cluster-test.sh --keep             # keep logs and Redis data (kept anyway when a scenario fails)
set -euo pipefail
cd "$(dirname "$0")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
command -v redis-server >/dev/null || { echo "cluster-test: redis-server is needed (apt-get install -y redis-server)" >&2; exit 2; }

# The whole run is bounded: the driver's own deadline, and a harder one around it.
deadline=${ORLEANSTABS_RIG_DEADLINE:-600}
pids=$(mktemp "${TMPDIR:-/tmp}/orleanstabs-rig-pids.XXXXXX")
driver=""

cleanup() {
  local rc=$?
  if [ -n "$driver" ] && kill -0 "$driver" 2>/dev/null; then
    kill -TERM "$driver" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$driver" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$driver" 2>/dev/null || true
  fi
  # Only PIDs the driver recorded, and only while they still are one of this rig's processes.
  while read -r pid; do
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" || true)
    if grep -qE 'OrleansTabs\.(Silo|Web)\.dll|redis-server' <<<"$cmdline"; then
      kill -CONT "$pid" 2>/dev/null || true
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done <"$pids"
  rm -f "$pids"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "== cluster-test: building Release"
dotnet build bench/OrleansTabs.Load -c Release -v quiet -nologo

echo "== cluster-test: fault scenarios (deadline ${deadline} s)"
timeout --signal=TERM --kill-after=60 "$((deadline + 60))" \
  dotnet bench/OrleansTabs.Load/bin/Release/net10.0/OrleansTabs.Load.dll faults --deadline "$deadline" --pid-file "$pids" "$@" &
driver=$!
wait "$driver"
