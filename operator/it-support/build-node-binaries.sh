#!/usr/bin/env bash
# Builds what a real single-node cluster needs beyond kube-apiserver and etcd, from source through
# the Go module proxy: kubelet, kube-scheduler, kube-controller-manager, kube-proxy, containerd (with
# its runc shim and ctr), the helm CLI, CoreDNS with only the plugins a cluster's Service names need,
# and a pause program for the pods' sandbox image. runc, the CNI plugins and iptables come from Debian
# (install-node-packages.sh).
#
# Why from source: these machines reach the Go module proxy but no release download site. The output
# is cached outside the work tree and the script does nothing when every binary is already there; the
# Go build cache (~/.cache/go-build) keeps a rebuild after a version change short.
#
# Output: $KINETIC_NODE_DIR (default ~/.cache/kinetic/node/<k8s-version>-linux-amd64/) holding the
#         binaries and a VERSIONS file.
set -euo pipefail
source "$(dirname "$0")/k8s-build.sh"

K8S_VERSION="${K8S_VERSION:-1.34.4}"        # the same Kubernetes as kube-apiserver (build-k8s-binaries.sh)
CONTAINERD_VERSION="${CONTAINERD_VERSION:-2.2.9}"
HELM_VERSION="${HELM_VERSION:-3.22.0}"
CRICTL_VERSION="${CRICTL_VERSION:-1.34.0}"
ARCH="$(go env GOARCH)"
OUT="${KINETIC_NODE_DIR:-$HOME/.cache/kinetic/node/${K8S_VERSION}-linux-${ARCH}}"
COREDNS_VERSION="${COREDNS_VERSION:-1.14.7}"
K8S_BINARIES=(kubelet kube-scheduler kube-controller-manager kube-proxy)
CONTAINERD_BINARIES=(containerd containerd-shim-runc-v2 ctr)

# True when one of the named binaries is not built yet: each group is built only when it is needed.
missing() {
  for b in "$@"; do [[ -x "$OUT/$b" ]] || return 0; done
  return 1
}
if ! missing "${K8S_BINARIES[@]}" "${CONTAINERD_BINARIES[@]}" crictl helm coredns pause; then
  echo "node binaries: cached in $OUT ($(tr '\n' ' ' < "$OUT/VERSIONS"))"
  exit 0
fi

command -v go >/dev/null || { echo "Go is required to build the node binaries (apt-get install golang or use /usr/local/go)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"
start=$SECONDS

if missing "${K8S_BINARIES[@]}"; then
echo "node binaries: building kubelet, kube-scheduler, kube-controller-manager, kube-proxy v${K8S_VERSION} into $OUT"
k8s_build "$work/node" "$OUT" "$K8S_VERSION" kubelet kube-scheduler kube-controller-manager kube-proxy
echo "node binaries: Kubernetes components built in $((SECONDS - start)) s"
fi

if missing "${CONTAINERD_BINARIES[@]}"; then
echo "node binaries: building containerd v${CONTAINERD_VERSION}"
# no_btrfs/no_devmapper: the overlayfs and native snapshotters are enough, and these two need C headers.
CGO_ENABLED=0 GOBIN="$OUT" GOFLAGS=-mod=mod go install -trimpath -tags "no_btrfs no_devmapper" \
  -ldflags "-s -w -X github.com/containerd/containerd/v2/version.Version=v${CONTAINERD_VERSION}" \
  "github.com/containerd/containerd/v2/cmd/containerd@v${CONTAINERD_VERSION}" \
  "github.com/containerd/containerd/v2/cmd/containerd-shim-runc-v2@v${CONTAINERD_VERSION}" \
  "github.com/containerd/containerd/v2/cmd/ctr@v${CONTAINERD_VERSION}"
fi

if missing crictl; then
  # The teardown removes pods through the CRI (crictl rmp), so the CNI plugins release what they made.
  echo "node binaries: building crictl v${CRICTL_VERSION}"
  CGO_ENABLED=0 GOBIN="$OUT" GOFLAGS=-mod=mod go install -trimpath -ldflags "-s -w" \
    "sigs.k8s.io/cri-tools/cmd/crictl@v${CRICTL_VERSION}"
fi

if missing helm; then
echo "node binaries: building helm v${HELM_VERSION}"
# A release build tells charts which Kubernetes it renders for through these linker flags; without
# them `helm template` claims v1.20 and the chart's kubeVersion (>= 1.30) refuses it.
CGO_ENABLED=0 GOBIN="$OUT" GOFLAGS=-mod=mod go install -trimpath -ldflags "-s -w \
  -X helm.sh/helm/v3/internal/version.version=v${HELM_VERSION} \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=1 \
  -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=${K8S_VERSION#1.} \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=1 \
  -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=${K8S_VERSION#1.}" \
  "helm.sh/helm/v3/cmd/helm@v${HELM_VERSION}"
fi

if missing coredns; then
  echo "node binaries: building coredns v${COREDNS_VERSION}"
  mkdir -p "$work/coredns"
  cd "$work/coredns"
  cat > go.mod <<GOMOD
module kinetic.dev/corednsbuild

go 1.24.0

require github.com/coredns/coredns v${COREDNS_VERSION}
GOMOD
  # CoreDNS's own main links some fifty plugins (clouds, etcd, ...); a cluster's Service and Pod names
  # need these few. Setting the directive list is CoreDNS's documented way to build a custom set.
  cat > main.go <<'GO'
// CoreDNS with the plugins a test cluster's DNS needs: Service and Pod names, health and readiness.
package main

import (
	"github.com/coredns/coredns/core/dnsserver"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/ready"
	"github.com/coredns/coredns/coremain"
)

func init() {
	dnsserver.Directives = []string{"log", "errors", "health", "ready", "kubernetes", "cache"}
}

func main() { coremain.Run() }
GO
  GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1
  CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w" -o "$OUT/coredns" .
fi

if missing pause; then
  echo "node binaries: building pause"
  mkdir -p "$work/pause"
  cd "$work/pause"
  printf 'module kinetic.dev/pause\n\ngo 1.24.0\n' > go.mod
  # The sandbox container of every pod: it holds the pod's namespaces, reaps what it inherits, and
  # leaves on SIGINT or SIGTERM. No registry is reachable, so the cluster's images include this one.
  cat > main.go <<'GO'
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for s := range signals {
		if s != syscall.SIGCHLD {
			os.Exit(0)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
GO
  CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" -o "$OUT/pause" .
fi

printf 'kubernetes v%s\ncontainerd v%s\ncrictl v%s\nhelm v%s\ncoredns v%s\n' \
  "$K8S_VERSION" "$CONTAINERD_VERSION" "$CRICTL_VERSION" "$HELM_VERSION" "$COREDNS_VERSION" > "$OUT/VERSIONS"
echo "node binaries: done in $((SECONDS - start)) s: $(ls "$OUT" | tr '\n' ' ')"
