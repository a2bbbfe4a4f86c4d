package dev.kinetic.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A function: a container image that answers HTTP or CloudEvents requests, scaled by Kinetic from
 * zero to {@code spec.scale.max} pods.
 *
 * <p>The name becomes the name of the Deployment, the Service and the host name the activator
 * routes by, so it must be a DNS-1035 label (the strictest of the three).
 */
@Group(Function.GROUP)
@Version(Function.VERSION)
@Kind("Function")
@Singular("function")
@Plural("functions")
@ShortNames("fn")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS-1035 label: lower-case letters, digits and '-', starting with a"
            + " letter and ending with a letter or digit")
@ValidationRule(
    value = "size(self.metadata.name) <= 63",
    message = "metadata.name must be at most 63 characters (it becomes a Service name)")
// spec is inherited from CustomResource, where no annotation can mark it required.
@ValidationRule(
    value = "has(self.spec)",
    message = "spec is required: a Function needs at least spec.image")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".status.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".status.url",
    type = AdditionalPrinterColumn.Type.STRING)
// With -o wide only (priority 1): what runs, and why it has the pods it has.
@AdditionalPrinterColumn(
    name = "Image",
    jsonPath = ".spec.image",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Visibility",
    jsonPath = ".status.visibility",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desiredReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Last Scale",
    jsonPath = ".status.lastScaleReason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Function extends CustomResource<FunctionSpec, FunctionStatus> implements Namespaced {
  public static final String GROUP = "kinetic.dev";
  public static final String VERSION = "v1alpha1";

  /** Label put on every object and pod that belongs to a function; its value is the name. */
  public static final String FUNCTION_LABEL = "kinetic.dev/function";
}
