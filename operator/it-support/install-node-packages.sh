#!/usr/bin/env bash
# Installs what the test node takes from Debian: runc, the CNI plugins, iptables (kube-proxy),
# conntrack, openssl, and Distribution's registry with htpasswd for the node's private registry.
# Does nothing when they are there; needs root otherwise.
set -euo pipefail
need=()
[[ -x /usr/sbin/runc ]] || need+=(runc)
[[ -x /usr/lib/cni/bridge ]] || need+=(containernetworking-plugins)
[[ -x /usr/sbin/iptables ]] || need+=(iptables)
[[ -x /usr/sbin/conntrack ]] || need+=(conntrack)
[[ -x /usr/bin/openssl ]] || need+=(openssl)
[[ -x /usr/sbin/ip ]] || need+=(iproute2)
[[ -x /usr/sbin/nft ]] || need+=(nftables)
# The node's private registry (Distribution) and its password file's tool.
[[ -x /usr/bin/docker-registry ]] || need+=(docker-registry)
[[ -x /usr/bin/htpasswd ]] || need+=(apache2-utils)
if [[ ${#need[@]} -eq 0 ]]; then
  echo "node packages: installed"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "node packages: ${need[*]} missing; install them as root: apt-get install ${need[*]}" >&2
  exit 1
fi
echo "node packages: installing ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
