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

K8S_VERSION="${K8S_VERSION:-1.34.4}"        # matches the Kubernetes model of fabric8 7.5.x
STAGING_VERSION="0.${K8S_VERSION#1.}"        # k8s.io/api etc. are tagged v0.<minor>.<patch>
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
mkdir -p "$work/apiserver"
cd "$work/apiserver"
# k8s.io/kubernetes is not meant to be a dependency: its go.mod points the k8s.io/* staging modules at
# ./staging, which a dependent module cannot see. Replacing each with its published v0.x tag fixes that.
{
  echo "module kinetic.dev/k8sbuild"
  echo
  echo "go 1.24.0"
  echo
  echo "require k8s.io/kubernetes v${K8S_VERSION}"
  echo
  echo "replace ("
  for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
    cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api \
    cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms \
    kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics \
    mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller; do
    echo "	k8s.io/$m => k8s.io/$m v${STAGING_VERSION}"
  done
  echo ")"
} > go.mod
cat > tools.go <<'GO'
//go:build tools

package k8sbuild

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
GO
GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || GOFLAGS=-mod=mod go get k8s.io/kubernetes/cmd/kube-apiserver@v${K8S_VERSION}
CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w \
  -X k8s.io/component-base/version.gitVersion=v${K8S_VERSION} \
  -X k8s.io/component-base/version.gitMajor=1 \
  -X k8s.io/component-base/version.gitMinor=${K8S_VERSION#1.}" \
  -o "$OUT/" k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl
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
