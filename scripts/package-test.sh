#!/usr/bin/env bash
# The packages as a user gets them: `dotnet pack -c Release` at the root, then a throwaway application
# (scripts/package-app, written against docs/sdk.md only) restored from that folder feed and built, outside the
# repository's build settings. Fails if a package does not pack, lacks its metadata, or does not build in an app.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/orleanstabs-packages.XXXXXX")
trap 'rm -rf "$work"' EXIT
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)

echo "== package test: dotnet pack -c Release ($version)"
dotnet pack OrleansTabs.sln -c Release -o "$work/feed" -v quiet -nologo
for id in OrleansTabs.Abstractions OrleansTabs.Grains OrleansTabs.AspNetCore; do
  nupkg="$work/feed/$id.$version.nupkg"
  [ -f "$nupkg" ] || { echo "package-test: $id was not packed" >&2; exit 1; }
  nuspec=$(unzip -p "$nupkg" '*.nuspec')
  for field in '<license type="expression">MIT</license>' '<readme>README.md</readme>' '<repository type="git"' '<description>'; do
    grep -qF "$field" <<<"$nuspec" || { echo "package-test: $id lacks $field" >&2; exit 1; }
  done
  # The listing is read whole: `unzip -l | grep -q` fails under pipefail when grep exits before unzip has written all.
  listing=$(unzip -l "$nupkg")
  grep -q "lib/net10.0/.*\.xml" <<<"$listing" || { echo "package-test: $id has no XML docs" >&2; exit 1; }
done

# The app lives outside the repository, so none of its Directory.*.props apply; a cached copy of this version from an
# earlier run must not stand in for the packages just made.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/orleanstabs.*
cp scripts/package-app/PackageApp.csproj scripts/package-app/Program.cs "$work/"
cat >"$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="orleanstabs" value="$work/feed" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="orleanstabs"><package pattern="OrleansTabs.*" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
echo "== package test: an application built from the feed"
dotnet build "$work/PackageApp.csproj" -p:OrleansTabsVersion="$version" -v quiet -nologo
echo "package-test: 3 packages packed and used by an application"
