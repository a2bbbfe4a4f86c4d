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
 * Runs a Function of the same namespace on events from one source: a schedule or Kafka topics. Each
 * event reaches the function as a CloudEvent through the activator, so scale from zero, the bounded
 * queue and the hard concurrency limit apply to it as to any request.
 *
 * <p>There is deliberately no namespace in {@code spec.function}: a Trigger can only reach the
 * functions its author could reach anyway.
 */
@Group(Function.GROUP)
@Version(Function.VERSION)
@Kind("Trigger")
@Singular("trigger")
@Plural("triggers")
@ShortNames("trg")
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name must be a DNS-1123 label: lower-case letters, digits and '-', starting and"
            + " ending with a letter or digit")
@ValidationRule(
    value = "size(self.metadata.name) <= 63",
    message = "metadata.name must be at most 63 characters")
@ValidationRule(
    value = "has(self.spec)",
    message =
        "spec is required: a Trigger needs spec.function and a source, spec.schedule or"
            + " spec.kafka")
@AdditionalPrinterColumn(
    name = "Function",
    jsonPath = ".spec.function",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Next",
    jsonPath = ".status.nextFireTime",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Delivered",
    jsonPath = ".status.delivered",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.failed",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Lag",
    jsonPath = ".status.lag",
    type = AdditionalPrinterColumn.Type.INTEGER)
// With -o wide only (priority 1).
@AdditionalPrinterColumn(
    name = "Schedule",
    jsonPath = ".spec.schedule.cron",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Last Success",
    jsonPath = ".status.lastSuccessfulTime",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Trigger extends CustomResource<TriggerSpec, TriggerStatus> implements Namespaced {}
