#!/usr/bin/env bash
# Server CPU of an all-in-one server holding N idle tabs (sessions of 10, rooms of 100) that send an app-level ping
# every 10 s, over 30 s once they have settled. usage: bench/scripts/idle.sh [N=10000]
source "$(dirname "$0")/allinone.sh"
n=${1:-10000}
dotnet build "$root/bench/OrleansTabs.Bench" -c Release > "$out/bench-build.log"
dotnet "$root/bench/OrleansTabs.Bench/bin/Release/net10.0/OrleansTabs.Bench.dll" --server "http://127.0.0.1:$port" --connect-only "$n" --hold 70 > "$out/hold.log" 2>&1 &
client=$!
until grep -q holding "$out/hold.log"; do kill -0 "$client" || { cat "$out/hold.log"; exit 1; }; sleep 1; done
sleep 15
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
t0=$(ticks); s0=$(date +%s.%N)
sleep 30
t1=$(ticks); s1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" -v s0="$s0" -v s1="$s1" -v hz="$(getconf CLK_TCK)" -v n="$n" \
  'BEGIN { printf "server CPU while holding %d idle tabs: %.1f %% of a core\n", n, (t1 - t0) / hz / (s1 - s0) * 100 }'
wait "$client"
