# Sourced by build-k8s-binaries.sh and build-node-binaries.sh: builds commands of k8s.io/kubernetes
# from the Go module proxy.
#
# k8s_build <work dir> <out dir> <version> <command>...: writes a module requiring
# k8s.io/kubernetes <version>, whose go.mod points the k8s.io/* staging modules at ./staging, which
# a dependent module cannot see; replacing each with its published v0.x tag fixes that. Then builds
# each k8s.io/kubernetes/cmd/<command> into <out dir>, static, with the version the binaries report.
k8s_build() {
  local work="$1" out="$2" version="$3"
  shift 3
  local staging="0.${version#1.}"
  mkdir -p "$work"
  (
    cd "$work"
    {
      echo "module kinetic.dev/k8sbuild"
      echo
      echo "go 1.24.0"
      echo
      echo "require k8s.io/kubernetes v${version}"
      echo
      echo "replace ("
      for m in api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider \
        cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api \
        cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms \
        kube-aggregator kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics \
        mount-utils pod-security-admission sample-apiserver sample-cli-plugin sample-controller; do
        echo "	k8s.io/$m => k8s.io/$m v${staging}"
      done
      echo ")"
    } > go.mod
    {
      echo "//go:build tools"
      echo
      echo "package k8sbuild"
      echo
      echo "import ("
      for c in "$@"; do echo "	_ \"k8s.io/kubernetes/cmd/$c\""; done
      echo ")"
    } > tools.go
    GOFLAGS=-mod=mod go mod tidy >/dev/null 2>&1 || GOFLAGS=-mod=mod go get "k8s.io/kubernetes/cmd/$1@v${version}"
    local packages=()
    for c in "$@"; do packages+=("k8s.io/kubernetes/cmd/$c"); done
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w \
      -X k8s.io/component-base/version.gitVersion=v${version} \
      -X k8s.io/component-base/version.gitMajor=1 \
      -X k8s.io/component-base/version.gitMinor=${version#1.}" \
      -o "$out/" "${packages[@]}"
  )
}
