# Sourced by the scripts here: publishes the Web project (Release, ReadyToRun, as deployed) into a temporary folder and
# starts it all-in-one on fixed loopback ports (HTTP 5480, silo 5481, gateway 5482, Garnet 5483) with the per-socket
# and sign-in limits lifted; stops it and removes the folder when the script exits. Sets: root, out, pid, port, garnet.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$out"' EXIT
port=5480
garnet=5483
dotnet publish "$root/Web/Web.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:UseAppHost=false -o "$out/web" > "$out/publish.log"
(cd "$out/web" && exec dotnet OrleansTabs.Web.dll --urls "http://127.0.0.1:$port" --OrleansTabs:Hosting:GarnetDataDirectory "$out/garnet" \
  --Orleans:SiloPort 5481 --Orleans:GatewayPort 5482 --OrleansTabs:Hosting:GarnetPort "$garnet" \
  --OrleansTabs:Sockets:FramesPerSecond 100000 --OrleansTabs:Sockets:FrameBurst 100000 \
  --OrleansTabs:Auth:LoginsPerMinute 1000000 --OrleansTabs:Auth:DevelopmentLogin true --Logging:LogLevel:Default Warning > "$out/server.log" 2>&1) &
pid=$!
for _ in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null && break; sleep 0.25; done
