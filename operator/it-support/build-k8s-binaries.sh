#!/usr/bin/env bash
# Builds kube-apiserver and etcd from source through the Go module proxy, for the integration tests.
#
# Why from source: these machines reach the Go module proxy but no release download site, and
# kube-api-test (fabric8's envtest for Java) only needs the two binaries. The output is cached outside
# the work tree and the script does nothing when the binaries are already there.
#
# Output: $KINETIC_K8S_DIR (default ~/.cache/kinetic/k8s/<k8s-version>-linux-amd64/) holding
#         kube-apiserver, kubectl, etcd and a VERSIONS file. That is the layout kube-api-test looks
#         for under its test directory (~/.cache/kinetic), and it insists that kubectl is there too.
set -euo pipefail
source "$(dirname "$0")/k8s-build.sh"

K8S_VERSION="${K8S_VERSION:-1.34.4}"        # matches the Kubernetes model of fabric8 7.5.x
ETCD_VERSION="${ETCD_VERSION:-3.6.16}"
ARCH="$(go env GOARCH)"
OUT="${KINETIC_K8S_DIR:-$HOME/.cache/kinetic/k8s/${K8S_VERSION}-linux-${ARCH}}"

if [[ -x "$OUT/kube-apiserver" && -x "$OUT/kubectl" && -x "$OUT/etcd" ]]; then
  echo "k8s binaries: cached in $OUT ($(cat "$OUT/VERSIONS" 2>/dev/null | tr '\n' ' '))"
  exit 0
fi

command -v go >/dev/null || { echo "Go is required to build kube-apiserver and etcd (apt-get install golang or use /usr/local/go)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"
start=$SECONDS

echo "k8s binaries: building kube-apiserver and kubectl v${K8S_VERSION} into $OUT"
k8s_build "$work/apiserver" "$OUT" "$K8S_VERSION" kube-apiserver kubectl
echo "k8s binaries: kube-apiserver and kubectl built in $((SECONDS - start)) s"

echo "k8s binaries: building etcd v${ETCD_VERSION}"
mkdir -p "$work/etcd"
cd "$work/etcd"
cat > go.mod <<GOMOD
module kinetic.dev/etcdbuild

go 1.24.0

require go.etcd.io/etcd/server/v3 v${ETCD_VERSION}
GOMOD
cat > main.go <<'GO'
// A tiny main around etcd's own entry point, so etcd builds from the module proxy alone.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
GOFLAGS=-mod=mod go mod tidy >/dev/null
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$OUT/etcd" .
printf 'kube-apiserver v%s\nkubectl v%s\netcd v%s\n' "$K8S_VERSION" "$K8S_VERSION" "$ETCD_VERSION" > "$OUT/VERSIONS"
echo "k8s binaries: done in $((SECONDS - start)) s: $(ls "$OUT" | tr '\n' ' ')"
