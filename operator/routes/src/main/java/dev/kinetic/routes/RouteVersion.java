package dev.kinetic.routes;

/**
 * Which version of a Function a route table routes by: what the operator asks every activator
 * before it reports a Function Ready, so that Ready means requests are routed, not only that pods
 * run (as Knative probes its ingress before a Route is Ready).
 *
 * @param uid the Function's {@code metadata.uid}: a Function deleted and made again under the same
 *     name starts again at generation 1
 * @param generation its {@code metadata.generation}: what its spec is at
 * @param domains the host names this table routes to it ({@code spec.domains} it holds, as its
 *     status said when the table last read it), sorted
 */
public record RouteVersion(String uid, long generation, java.util.List<String> domains) {}
