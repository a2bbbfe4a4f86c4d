# Kinetic — every target a new machine needs. `make test` is exactly what CI runs.
# The JDK the images' Java runtime is linked from: a JDK 25 when the machine has one, so every Java image
# starts from an AOT cache (docs/runtime.md#the-images-java); else the JDK that runs Maven.
IMAGE_JDK ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/java-25-openjdk-*))
MVN ?= ./mvnw -B -ntp $(if $(IMAGE_JDK),-Dkinetic.image.jdk=$(IMAGE_JDK))
K8S_BIN_SCRIPT := operator/it-support/build-k8s-binaries.sh
NODE_BIN_SCRIPT := operator/it-support/build-node-binaries.sh

.PHONY: FORCE build test run run-control-plane cluster node-bin bench-cluster bench bench-coldstart bench-runtime-tiers bench-activator bench-autoscaler bench-local bench-fixed-rate bench-triggers crds fmt k8s-bin clean

## build: compile and package everything, without tests
build:
	$(MVN) -DskipTests install

## test: unit tests, mock-server tests, the integration tests against a real kube-apiserver, and the
## end-to-end tests on a real single-node cluster (needs root)
test: k8s-bin node-bin
	$(MVN) verify

## k8s-bin: build kube-apiserver, kubectl and etcd from source once (cached in ~/.cache/kinetic)
k8s-bin:
	bash $(K8S_BIN_SCRIPT)

## node-bin: kubelet, scheduler, controller-manager, kube-proxy, containerd, crictl, helm, CoreDNS
## and pause from source once (cached in ~/.cache/kinetic), and runc, CNI plugins, iptables from Debian
node-bin: k8s-bin
	bash operator/it-support/install-node-packages.sh
	bash $(NODE_BIN_SCRIPT)

## cluster: a real single-node Kubernetes cluster with Kinetic's images loaded, until Ctrl-C (needs root)
cluster: node-bin
	$(MVN) -DskipTests install
	$(MVN) -q -pl operator/it exec:java -Dexec.mainClass=dev.kinetic.it.node.ClusterMain

## run: local mode - the examples as local processes behind the activator and the autoscaler (see README)
run: .kinetic/local-build.stamp
	@[ -f .kinetic/secrets.properties ] || \
	  echo "api-token/token=$$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" > .kinetic/secrets.properties
	java -jar operator/local/target/kinetic.jar local --dir examples

# What local mode runs, built only when one of its sources is newer than the last build: a second
# `make run` with nothing changed starts at once instead of rebuilding everything.
LOCAL_MODULES := operator/local,examples/hello,examples/json-echo,examples/cloudevent,examples/cron-report,examples/kafka-orders,examples/slow,examples/secrets,examples/scratch,examples/go-hello
LOCAL_INPUTS := $(wildcard $(shell git ls-files -co --exclude-standard -- pom.xml '*/pom.xml' crds operator/api operator/java-runtime operator/routes \
  operator/activator operator/autoscaler operator/dispatcher operator/local function-runtime examples 2>/dev/null | grep -v /target/))
# (Built again, too, when the jar is gone: a `./mvnw clean` leaves the stamp behind.)
.kinetic/local-build.stamp: $(LOCAL_INPUTS) $(if $(wildcard operator/local/target/kinetic.jar),,FORCE)
	$(MVN) -DskipTests install -pl $(LOCAL_MODULES) -am
	@mkdir -p .kinetic; touch $@

FORCE:

## run-control-plane: a local kube-apiserver + etcd with the operator, examples/ applied (no pods)
run-control-plane: k8s-bin
	$(MVN) -DskipTests install
	$(MVN) -q -pl operator/it exec:java -Dexec.mainClass=dev.kinetic.it.LocalCluster

## bench: the benchmarks quoted in docs/benchmarks.md (results under */target/benchmarks/)
bench: k8s-bin bench-coldstart bench-runtime-tiers bench-activator bench-autoscaler bench-local bench-fixed-rate bench-triggers
	$(MVN) -DskipTests install
	$(MVN) -pl operator/it verify -Dit.test=ManyFunctionsIT

## bench-coldstart: 20 cold starts of each example and of the baseline, on JDK 17 and on JDK 25; writes docs/benchmarks.md
# Prefers a JDK 25 (AOT cache) for the benchmarks that run on one JDK.
JAVA_BENCH ?= $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk-*/bin/java) $(shell command -v java))
JAVA_17 ?= $(firstword $(wildcard /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/temurin-17-jdk-*/bin/java))
bench-coldstart:
	$(MVN) -DskipTests install -pl benchmarks,examples/hello,examples/json-echo,examples/cloudevent,examples/slow,examples/secrets -am
	for java in $(sort $(JAVA_17) $(JAVA_BENCH)); do \
	  $$java -cp 'benchmarks/target/benchmarks.jar:benchmarks/target/lib/*' dev.kinetic.bench.ColdStart . $$java 20 --write-docs || exit 1; \
	done

## bench-runtime-tiers: hello and json-echo warm under wrk, the images' JIT (tiered) vs local mode's (C1 only); writes docs/benchmarks.md
bench-runtime-tiers:
	$(MVN) -DskipTests install -pl benchmarks,examples/hello,examples/json-echo -am
	JAVA=$(JAVA_BENCH) bash benchmarks/runtime/tiers.sh

## bench-activator: direct vs nginx vs activator (and four floors) with wrk; writes docs/benchmarks.md
bench-activator:
	$(MVN) -DskipTests install -pl benchmarks,operator/activator -am
	$(MVN) -q -pl operator/activator dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	JAVA=$(JAVA_BENCH) FLOOR_CP=operator/activator/target/test-classes:operator/activator/target/classes:$$(cat operator/activator/target/test-classpath.txt) \
	  bash benchmarks/activator/run.sh
	$(JAVA_BENCH) -cp operator/activator/target/test-classes:operator/activator/target/classes:$$(cat operator/activator/target/test-classpath.txt) \
	  org.openjdk.jmh.Main HotPathBench -rf text -rff operator/activator/target/jmh.txt
	(echo "Measured $$(date -u +%F) on $$(nproc) cores, $$($(JAVA_BENCH) -version 2>&1 | head -1 | tr -d '\"'):"; echo; echo '```'; cat operator/activator/target/jmh.txt; echo '```') > operator/activator/target/jmh.md
	$(JAVA_BENCH) -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md activator-jmh operator/activator/target/jmh.md

## bench-autoscaler: JMH of one tick over 10,000 functions, and heap per tracked function
bench-autoscaler:
	$(MVN) -DskipTests install -pl benchmarks,operator/autoscaler -am
	$(MVN) -q -pl operator/autoscaler dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	$(JAVA_BENCH) -cp operator/autoscaler/target/test-classes:operator/autoscaler/target/classes:$$(cat operator/autoscaler/target/test-classpath.txt) \
	  org.openjdk.jmh.Main AutoscalerBench -rf text -rff operator/autoscaler/target/jmh.txt
	$(JAVA_BENCH) -cp operator/autoscaler/target/test-classes:operator/autoscaler/target/classes:$$(cat operator/autoscaler/target/test-classpath.txt) \
	  dev.kinetic.autoscaler.AutoscalerMemory 10000 operator/autoscaler/target/memory.txt
	(echo "Measured $$(date -u +%F) on $$(nproc) cores, $$($(JAVA_BENCH) -version 2>&1 | head -1 | tr -d '\"'):"; echo; echo '```'; cat operator/autoscaler/target/jmh.txt; echo '```'; echo; cat operator/autoscaler/target/memory.txt) > operator/autoscaler/target/bench.md
	$(JAVA_BENCH) -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md autoscaler-jmh operator/autoscaler/target/bench.md

## bench-local: cold request through local mode vs the bare process; burst of 200 at zero
bench-local:
	$(MVN) -DskipTests install -pl benchmarks,operator/local,examples/hello,examples/slow -am
	$(MVN) -q -pl operator/local dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	java -cp operator/local/target/test-classes:operator/local/target/classes:$$(cat operator/local/target/test-classpath.txt) \
	  dev.kinetic.local.LocalBench operator/local/target/bench-local.md .
	java -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md local operator/local/target/bench-local.md

## bench-fixed-rate: vegeta at 1,000 req/s to slow?ms=100 in local mode, straight and through the activator; writes docs/benchmarks.md
bench-fixed-rate:
	@[ -x $(VEGETA) ] || GOBIN=$(dir $(VEGETA)) go install github.com/tsenart/vegeta/v12@v12.13.0
	$(MVN) -DskipTests install -pl benchmarks,operator/local,examples/slow -am
	$(MVN) -q -pl operator/local dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	java -cp operator/local/target/test-classes:operator/local/target/classes:$$(cat operator/local/target/test-classpath.txt) \
	  dev.kinetic.local.FixedRateBench operator/local/target/bench-fixed-rate.md . $(VEGETA)
	java -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md fixed-rate operator/local/target/bench-fixed-rate.md

## bench-triggers: Kafka records through a Trigger vs a plain consumer calling the function; writes docs/benchmarks.md
bench-triggers:
	$(MVN) -DskipTests install -pl benchmarks,operator/local,examples/hello -am
	$(MVN) -q -pl operator/local dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	java -cp operator/local/target/test-classes:operator/local/target/classes:$$(cat operator/local/target/test-classpath.txt) \
	  dev.kinetic.local.TriggerBench operator/local/target/bench-triggers.md .
	java -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md triggers operator/local/target/bench-triggers.md

## bench-cluster: cold requests and fixed-rate overhead on the real node (needs root); writes docs/benchmarks.md
VEGETA := $(HOME)/.cache/kinetic/bench/vegeta
bench-cluster: node-bin
	@[ -x $(VEGETA) ] || GOBIN=$(dir $(VEGETA)) go install github.com/tsenart/vegeta/v12@v12.13.0
	$(MVN) -DskipTests install -pl benchmarks,operator/it -am
	$(MVN) -q -pl operator/it dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
	java -Dkinetic.root=$(CURDIR) -cp operator/it/target/test-classes:operator/it/target/classes:$$(cat operator/it/target/test-classpath.txt) \
	  dev.kinetic.it.ClusterBench operator/it/target/bench-cluster.md $(VEGETA)
	java -cp benchmarks/target/benchmarks.jar dev.kinetic.bench.WriteSection docs/benchmarks.md cluster operator/it/target/bench-cluster.md

## crds: regenerate crds/ from the Function and Trigger models
crds:
	$(MVN) -q -pl operator/api -DskipTests process-classes
	cp operator/api/target/kubernetes/functions.kinetic.dev-v1.yml operator/api/target/kubernetes/triggers.kinetic.dev-v1.yml crds/
	cp crds/functions.kinetic.dev-v1.yml crds/triggers.kinetic.dev-v1.yml helm/kinetic/crds/

## fmt: format all Java sources (the build fails on unformatted code)
fmt:
	$(MVN) -q spotless:apply

clean:
	$(MVN) -q clean
	rm -f .kinetic/local-build.stamp
