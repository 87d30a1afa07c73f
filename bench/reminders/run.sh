#!/usr/bin/env bash
# Sign-ins per second of an all-in-one server (embedded Garnet) before and after its reminder table holds N more
# reminders (one per live session). usage: bench/reminders/run.sh [N=100000] [layout=new]
# layout "old" fills the single sorted set Orleans' own Redis reminder table used (before the index); "new" the index.
set -euo pipefail
n=${1:-100000}
layout=${2:-new}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
dotnet publish "$root/Web/Web.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false -o "$out/web" > "$out/publish.log"
port=5480; garnet=5483
(cd "$out/web" && exec dotnet OrleansTabs.Web.dll --urls "http://127.0.0.1:$port" --OrleansTabs:Hosting:GarnetDataDirectory "$out/garnet" \
  --Orleans:SiloPort 5481 --Orleans:GatewayPort 5482 --OrleansTabs:Hosting:GarnetPort "$garnet" \
  --OrleansTabs:Auth:LoginsPerMinute 1000000 --OrleansTabs:Auth:DevelopmentLogin true --Logging:LogLevel:Default Warning > "$out/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null && break; sleep 0.25; done
python3 "$(dirname "$0")/signins.py" 2000 "$port" | sed 's/^/warm-up: /'
python3 "$(dirname "$0")/fill.py" "$layout" "$n" "$garnet"
python3 "$(dirname "$0")/signins.py" 2000 "$port" | sed "s/^/with $n more reminders: /"
