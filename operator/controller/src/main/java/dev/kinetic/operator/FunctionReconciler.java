package dev.kinetic.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinetic.api.DomainPolicy;
import dev.kinetic.api.Domains;
import dev.kinetic.api.EffectiveSpec;
import dev.kinetic.api.Function;
import dev.kinetic.api.FunctionStatus;
import dev.kinetic.api.LimitCheck;
import dev.kinetic.api.LimitViolation;
import dev.kinetic.api.PlatformLimits;
import dev.kinetic.api.PodsService;
import dev.kinetic.api.Visibility;
import dev.kinetic.operator.apply.OwnedFields;
import dev.kinetic.operator.apply.ResourceWriter;
import dev.kinetic.operator.autoscale.AutoscalerSettings;
import dev.kinetic.operator.autoscale.EndpointSliceActivators;
import dev.kinetic.operator.events.PodEventReporter;
import dev.kinetic.operator.limits.ConfigMapLimitsSource;
import dev.kinetic.operator.limits.LimitsReading;
import dev.kinetic.operator.limits.LimitsSource;
import dev.kinetic.operator.resources.FunctionDeployments;
import dev.kinetic.operator.resources.FunctionServices;
import dev.kinetic.operator.resources.FunctionUrls;
import dev.kinetic.operator.routing.RouteProbe;
import dev.kinetic.operator.routing.RouteRounds;
import dev.kinetic.operator.routing.RoutesAnswer;
import dev.kinetic.operator.status.Conditions;
import dev.kinetic.operator.status.DomainClaims;
import dev.kinetic.operator.status.FailedMounts;
import dev.kinetic.operator.status.NodesComing;
import dev.kinetic.operator.status.ObservedPods;
import dev.kinetic.operator.status.StatusCalculator;
import dev.kinetic.operator.status.Verdict;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.FieldSelector;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BinaryOperator;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Makes each Function's Deployment and Services match its spec and reports what it sees.
 *
 * <p>The loop only decides and writes: the objects come from pure builders, the comparison from
 * {@link OwnedFields}, the status from {@link StatusCalculator}. It never blocks waiting for pods;
 * changes to the Deployment, the Service, the pods, the limits ConfigMap or the activators'
 * EndpointSlices trigger it again, and a periodic resync bounds how stale a status can be. The one
 * wait: once a Function's pods are ready, it asks the activators whether they route it ({@link
 * RouteRounds}: a reconcile waits at most {@code kinetic.operator.route-probe-wait} for the
 * answers, which bring a reconcile of their own when they come later), and asks again while some do
 * not.
 */
@ControllerConfiguration(
    name = "function",
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class FunctionReconciler implements Reconciler<Function> {
  private static final Logger LOG = Logger.getLogger(FunctionReconciler.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int HTTP_BAD_REQUEST = 400;
  private static final int HTTP_CONFLICT = 409;
  private static final int HTTP_INVALID = 422;

  private final ResourceWriter writer;
  private final OperatorSettings settings;
  private final StatusCalculator statusCalculator;
  private final Clock clock;
  private final PodEventReporter podEvents;
  private final RouteProbe routeProbe;
  private final AutoscalerSettings autoscalerSettings;
  private LimitsSource limits = () -> LimitsReading.of(PlatformLimits.NONE);
  private InformerEventSource<Deployment, Function> deployments;
  private InformerEventSource<Service, Function> services;
  private InformerEventSource<Pod, Function> pods;
  private InformerEventSource<Event, Function> failedMounts;
  private List<InformerEventSource<Event, Function>> nodesComing = List.of();
  private InformerEventSource<Function, Function> domainClaims;
  private RouteRounds routeRounds;

  public FunctionReconciler(
      ResourceWriter writer,
      OperatorSettings settings,
      Clock clock,
      RouteProbe routeProbe,
      AutoscalerSettings autoscalerSettings) {
    this.writer = writer;
    this.autoscalerSettings = autoscalerSettings;
    this.routeProbe = routeProbe;
    this.settings = settings;
    this.statusCalculator = new StatusCalculator(clock);
    this.clock = clock;
    this.podEvents = new PodEventReporter(clock);
  }

  @Override
  public List<EventSource<?, Function>> prepareEventSources(EventSourceContext<Function> context) {
    deployments =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Deployment.class, Function.class)
                .withLabelSelector(Function.FUNCTION_LABEL)
                .build(),
            context);
    services =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Service.class, Function.class)
                .withLabelSelector(Function.FUNCTION_LABEL)
                .build(),
            context);
    // Pods tell why a function is not ready (image pull, crash loop, missing secret).
    pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, Function.class)
                .withLabelSelector(Function.FUNCTION_LABEL)
                .withSecondaryToPrimaryMapper(FunctionReconciler::functionOf)
                .build(),
            context);
    // A pod that cannot mount a volume only waits; the kubelet says why in an Event. So does a
    // pod a node autoscaler is adding a node for. Only those Events are watched (a field selector
    // on the API server, one informer per reason), so the caches stay small.
    failedMounts = podEvents(FailedMounts.REASON, context);
    nodesComing =
        List.of(
            podEvents(NodesComing.TRIGGERED_SCALE_UP, context),
            podEvents(NodesComing.NOMINATED, context));
    // A change of the limits affects every function, so it maps to all of them.
    InformerEventSource<ConfigMap, Function> limitsConfigMap =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(ConfigMap.class, Function.class)
                .withName("platform-limits")
                .withNamespaces(Set.of(settings.namespace()))
                .withGenericFilter(
                    cm -> PlatformLimits.CONFIG_MAP_NAME.equals(cm.getMetadata().getName()))
                .withSecondaryToPrimaryMapper(
                    cm ->
                        context
                            .getPrimaryCache()
                            .list()
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    ResourceID limitsId = new ResourceID(PlatformLimits.CONFIG_MAP_NAME, settings.namespace());
    limits = new ConfigMapLimitsSource(() -> limitsConfigMap.get(limitsId));
    // A domain taken or given up by one Function changes what the others claiming it hold.
    domainClaims =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Function.class, Function.class)
                .withName("domain-claims")
                // Other edits and status writes leave the claims as they were.
                .withOnUpdateFilter(
                    (now, before) ->
                        !Domains.of(now).equals(Domains.of(before))
                            || !Domains.recorded(now).equals(Domains.recorded(before)))
                .withSecondaryToPrimaryMapper(new DomainNeighbours(context::getPrimaryCache))
                .build(),
            context);
    // An activator listed or gone: the Functions not yet routed at their generation ask again.
    InformerEventSource<EndpointSlice, Function> activatorSlices =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(EndpointSlice.class, Function.class)
                .withName("activator-slices")
                .withNamespaces(Set.of(settings.namespace()))
                .withLabelSelector(
                    EndpointSliceActivators.SERVICE_NAME_LABEL
                        + "="
                        + autoscalerSettings.activatorService())
                .withSecondaryToPrimaryMapper(
                    slice ->
                        context
                            .getPrimaryCache()
                            .list(f -> RoutesAnswer.routedAtItsGeneration(f).isEmpty())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    // The activators' answers that came after the reconcile that asked stopped waiting for them.
    SimpleInboundEventSource<Function> routeAnswers =
        new SimpleInboundEventSource<>("route-answers");
    routeRounds =
        new RouteRounds(routeProbe, settings.routeProbeWait(), clock, routeAnswers::propagateEvent);
    List<EventSource<?, Function>> sources =
        new ArrayList<>(
            List.of(
                routeAnswers,
                deployments,
                services,
                pods,
                failedMounts,
                limitsConfigMap,
                domainClaims,
                activatorSlices));
    sources.addAll(nodesComing);
    return sources;
  }

  /** The Events of one reason about the functions' pods, each mapped to its pod's Function. */
  private InformerEventSource<Event, Function> podEvents(
      String reason, EventSourceContext<Function> context) {
    return new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Event.class, Function.class)
            .withName("pod-events-" + reason)
            .withFieldSelector(
                new FieldSelector(
                    new FieldSelector.Field("reason", reason),
                    new FieldSelector.Field("involvedObject.kind", "Pod")))
            .withSecondaryToPrimaryMapper(
                event ->
                    pods.get(
                            new ResourceID(
                                event.getInvolvedObject().getName(),
                                event.getMetadata().getNamespace()))
                        .map(FunctionReconciler::functionOf)
                        .orElse(Set.of()))
            .build(),
        context);
  }

  private static Set<ResourceID> functionOf(Pod pod) {
    return Set.of(
        new ResourceID(
            pod.getMetadata().getLabels().get(Function.FUNCTION_LABEL),
            pod.getMetadata().getNamespace()));
  }

  @Override
  public UpdateControl<Function> reconcile(Function function, Context<Function> context) {
    Deployment deployment = context.getSecondaryResource(Deployment.class).orElse(null);
    Service podsService = service(context, PodsService.name(name(function)));
    Service address = service(context, name(function));
    Optional<Verdict> specProblem = specProblem(function);

    if (specProblem.isEmpty()) {
      // Safe: specProblem already parsed the spec with these limits.
      EffectiveSpec effective =
          EffectiveSpec.of(function.getSpec(), limits.current().limits().orElseThrow());
      try {
        deployment =
            ensure(
                function,
                deployment,
                FunctionDeployments.desired(function, effective),
                FunctionDeployments.forCreation(function, effective, clock.instant()),
                FunctionDeployments::keepingScale,
                deployments);
        // The pods' Service first: after an upgrade, the activators find the pods through it
        // before the Service of the function's name stops selecting them.
        Service desiredPods = FunctionServices.pods(function);
        podsService =
            ensure(function, podsService, desiredPods, desiredPods, (d, a) -> d, services);
        // The address, an alias of the activators' Service. A Service of the function's name that
        // selects the pods (as every one did before the pods had a Service of their own) becomes
        // the alias in place: server-side apply drops the selector the operator owned, the API
        // server the cluster IP. Its EndpointSlices stay as they were (the EndpointSlice
        // controller leaves an ExternalName Service's alone): the activators read only the pods'
        // Service's slices (PodsService), and those go with the Service when the Function does.
        Service desiredAddress =
            FunctionServices.address(function, settings.namespace(), settings.clusterDomain());
        address = ensure(function, address, desiredAddress, desiredAddress, (d, a) -> d, services);
      } catch (KubernetesClientException e) {
        if (e.getCode() != HTTP_INVALID && e.getCode() != HTTP_BAD_REQUEST) {
          throw e; // conflicts and outages: JOSDK retries with back-off
        }
        // The API server refused what the spec asks for (e.g. an env name Kubernetes does not
        // allow): retrying cannot help, the user must change the spec.
        specProblem = Optional.of(Verdict.failed("Rejected", rejection(e)));
      }
    }

    podEvents.report(context.getClient(), function, context.getSecondaryResources(Pod.class));
    RoutesAnswer routes = new RoutesAnswer(routeRounds, function, () -> heldDomains(function));
    UpdateControl<Function> control =
        statusPatch(
                function,
                context,
                specProblem,
                deployment,
                podsService != null && address != null,
                routes)
            .map(UpdateControl::patchStatus)
            .orElseGet(UpdateControl::noUpdate);
    // Nothing the operator watches changes when an activator's watch catches up: ask again soon.
    routes.askAgainIn(settings.routeProbeInterval()).ifPresent(control::rescheduleAfter);
    return control;
  }

  /**
   * A write failed for a reason retrying may fix (an outage, a quota, a full Service IP range):
   * JOSDK retries with back-off, and meanwhile the status says what failed instead of showing the
   * last good state. Conflicts are ordinary optimistic locking and resolve on the next attempt, so
   * they are not reported.
   */
  @Override
  public ErrorStatusUpdateControl<Function> updateErrorStatus(
      Function function, Context<Function> context, Exception e) {
    if (e instanceof KubernetesClientException k && k.getCode() == HTTP_CONFLICT) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    Verdict failure = Verdict.failed("ReconcileError", failureMessage(e) + "; retrying");
    return statusPatch(
            function,
            context,
            Optional.of(failure),
            context.getSecondaryResource(Deployment.class).orElse(null),
            service(context, PodsService.name(name(function))) != null
                && service(context, name(function)) != null,
            // A failure is Ready's reason: the activators are not asked.
            () -> {
              throw new IllegalStateException("the activators are not asked after a failure");
            })
        .map(ErrorStatusUpdateControl::patchStatus)
        .orElseGet(ErrorStatusUpdateControl::noStatusUpdate);
  }

  private Optional<Function> statusPatch(
      Function function,
      Context<Function> context,
      Optional<Verdict> specProblem,
      Deployment deployment,
      boolean servicesExist,
      java.util.function.Supplier<Verdict> routes) {
    List<Pod> pods = new ArrayList<>(context.getSecondaryResources(Pod.class));
    Set<String> names =
        pods.stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet());
    String namespace = function.getMetadata().getNamespace();
    java.util.function.Predicate<Event> aboutItsPods =
        e -> names.contains(e.getInvolvedObject().getName());
    ObservedPods observed =
        new ObservedPods(
            pods,
            FailedMounts.latestByPod(failedMounts.list(namespace, aboutItsPods).toList()),
            NodesComing.byPod(
                nodesComing.stream()
                    .flatMap(source -> source.list(namespace, aboutItsPods))
                    .toList(),
                clock.instant()));
    FunctionStatus status =
        statusCalculator.compute(
            function,
            specProblem,
            deployment,
            servicesExist,
            routes,
            observed,
            FunctionUrls.of(function, settings.clusterDomain()));
    addDomains(status, function);
    // What the activators apply, so that a user can see why the public port answers 404; kept as
    // it was while the limits cannot be read.
    status.setVisibility(
        limits
            .current()
            .limits()
            .map(platform -> Visibility.of(function.getSpec(), platform))
            .orElse(function.getStatus() == null ? null : function.getStatus().getVisibility()));
    if (sameTree(status, function.getStatus())) {
      return Optional.empty();
    }
    // A fresh object holding only identity and status: the patch then says exactly "this is the
    // status", whatever else the cached copy holds.
    Function patch = new Function();
    patch.setMetadata(
        new ObjectMetaBuilder()
            .withName(function.getMetadata().getName())
            .withNamespace(function.getMetadata().getNamespace())
            .build());
    patch.setStatus(status);
    return Optional.of(patch);
  }

  /**
   * The domains the Function holds ({@code status.domains}, which the activators route by) and its
   * DomainsReady condition; neither for a Function without domains.
   */
  private void addDomains(FunctionStatus status, Function function) {
    if (Domains.of(function).isEmpty()) {
      status.setConditions(Conditions.remove(status.getConditions(), DomainClaims.TYPE));
      return;
    }
    Optional<PlatformLimits> platform = limits.current().limits();
    if (platform.isEmpty()) {
      // Limits that cannot be read (Ready says so): the domains stay as they were.
      List<String> recorded = Domains.recorded(function);
      status.setDomains(recorded.isEmpty() ? null : recorded);
      return;
    }
    DomainPolicy policy = platform.get().domains();
    Domains.Assignment claims = claims(function, policy);
    status.setDomains(claims.held().isEmpty() ? null : claims.held());
    status.setConditions(
        Conditions.set(
            status.getConditions(),
            DomainClaims.verdict(function, claims, policy).orElseThrow(),
            DomainClaims.TYPE,
            status.getObservedGeneration(),
            clock));
  }

  /**
   * Who holds the names the Function claims. From the claims' own informer, not the primary cache:
   * a reconcile it triggers (another Function gave a domain up) must see that change, which the
   * primary cache may not have yet.
   */
  private Domains.Assignment claims(Function function, DomainPolicy policy) {
    return Domains.assign(function, domainClaims.list().toList(), policy);
  }

  /** The names the status is about to record as held (see addDomains). */
  private List<String> heldDomains(Function function) {
    if (Domains.of(function).isEmpty()) {
      return List.of();
    }
    return limits
        .current()
        .limits()
        .map(platform -> claims(function, platform.domains()).held())
        .orElseGet(() -> Domains.recorded(function));
  }

  /**
   * Why the spec cannot be applied now, if it cannot. Then nothing is written: what already runs
   * keeps running, and the status says why it is not updated.
   */
  private Optional<Verdict> specProblem(Function function) {
    LimitsReading reading = limits.current();
    if (reading.error().isPresent()) {
      return Optional.of(Verdict.failed("InvalidPlatformLimits", reading.error().get()));
    }
    try {
      // First: the limit check reads the same fields, and a value the CRD cannot check (a memory
      // quantity) must be reported as the user's mistake, with its field, not as a failure.
      EffectiveSpec.checked(function.getSpec(), reading.limits().orElseThrow());
    } catch (IllegalArgumentException e) {
      // A permanent problem: reported, not retried; an edit of the spec brings the next reconcile.
      return Optional.of(Verdict.failed("InvalidSpec", e.getMessage()));
    }
    List<LimitViolation> violations =
        LimitCheck.violations(function.getSpec(), reading.limits().orElseThrow());
    if (!violations.isEmpty()) {
      return Optional.of(
          Verdict.failed(
              "ExceedsPlatformLimit",
              violations.stream().map(LimitViolation::message).collect(Collectors.joining("; "))));
    }
    return Optional.empty();
  }

  /** The Function's Service of that name, if the cache has it. */
  private static Service service(Context<Function> context, String name) {
    return context
        .getSecondaryResourcesAsStream(Service.class)
        .filter(s -> name.equals(s.getMetadata().getName()))
        .findFirst()
        .orElse(null);
  }

  private static String name(Function function) {
    return function.getMetadata().getName();
  }

  private <T extends HasMetadata> T ensure(
      Function function,
      T actual,
      T desired,
      T forCreation,
      BinaryOperator<T> overActual,
      InformerEventSource<T, Function> cache) {
    ResourceID id = ResourceID.fromResource(function);
    if (actual == null) {
      T created = writer.create(forCreation);
      // Our own write must be visible to the next reconcile even before the watch delivers it.
      cache.handleRecentResourceCreate(id, created);
      return created;
    }
    if (OwnedFields.matches(desired, actual)) {
      return actual;
    }
    LOG.infof(
        "%s %s/%s differs from its spec in fields the operator owns; updating it",
        desired.getKind(), desired.getMetadata().getNamespace(), desired.getMetadata().getName());
    T write = overActual.apply(desired, actual);
    write.getMetadata().setResourceVersion(actual.getMetadata().getResourceVersion());
    T updated = writer.update(write);
    cache.handleRecentResourceUpdate(id, updated, actual);
    return updated;
  }

  private static String rejection(KubernetesClientException e) {
    return "the API server rejected an object made from this spec: " + failureMessage(e);
  }

  /** The API server's own words when there are some, not the client's request dump. */
  private static String failureMessage(Exception e) {
    if (e instanceof KubernetesClientException k
        && k.getStatus() != null
        && k.getStatus().getMessage() != null) {
      return k.getStatus().getMessage();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static boolean sameTree(Object a, Object b) {
    return b != null && MAPPER.valueToTree(a).equals(MAPPER.valueToTree(b));
  }
}
