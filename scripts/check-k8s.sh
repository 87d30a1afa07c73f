#!/usr/bin/env bash
# The Kubernetes manifests (deploy/k8s, and the example Redis in deploy/k8s/redis-example), checked without a cluster:
# each object against the Kubernetes API's JSON schema and for fields the API does not have, then the references
# between them (selectors, named ports, ConfigMaps, ServiceAccounts and Roles, the Ingress's backend, the silo labels
# Orleans' Kubernetes hosting reads). scripts/k8s-check/ holds the check and its pinned npm packages; its self-test
# breaks the manifests one way at a time and asserts that each break is reported. With kubectl installed, kustomize
# also builds each folder.
set -euo pipefail
cd "$(dirname "$0")/.."

folders=(deploy/k8s deploy/k8s/redis-example)
(cd scripts/k8s-check && npm ci --no-audit --no-fund --loglevel=error)
node scripts/k8s-check/check.mjs "${folders[@]}"
node scripts/k8s-check/selftest.mjs "${folders[@]}"
if command -v kubectl >/dev/null; then
  for folder in "${folders[@]}"; do kubectl kustomize "$folder" >/dev/null; done
  echo "check-k8s: kustomize builds ${folders[*]}"
fi
