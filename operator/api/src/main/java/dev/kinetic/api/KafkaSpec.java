package dev.kinetic.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Records of Kafka topics, each delivered as a CloudEvent at least once. Only names of Secrets
 * appear here, never credentials.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.deadLetterTopic) || !(self.deadLetterTopic in self.topics)",
    message =
        "kafka.deadLetterTopic must not be one of kafka.topics: a dead letter would come back")
public class KafkaSpec {
  public static final String EARLIEST = "Earliest";
  public static final String LATEST = "Latest";
  public static final String PARTITION = "Partition";
  public static final String UNORDERED = "Unordered";
  public static final int DEFAULT_MAX_RECORD_BYTES = 1 << 20;

  /** A Kafka topic name, as the broker accepts it. */
  static final String TOPIC = "^[a-zA-Z0-9._-]{1,249}$";

  private static final String TOPIC_WORDS =
      " must be a Kafka topic name: 1 to 249 letters, digits, '.', '_' or '-'";

  @Required
  @Size(min = 1, max = 1024)
  // Rules rather than patterns here: the API server words a pattern as the regex itself.
  @ValidationRule(
      value = "self.matches('^[^,\\\\s]+:[0-9]{1,5}(,[^,\\\\s]+:[0-9]{1,5})*$')",
      message =
          "kafka.bootstrapServers must be host:port pairs separated by commas, without spaces,"
              + " e.g. my-cluster-kafka-bootstrap.kafka:9092")
  @JsonPropertyDescription(
      "Brokers to bootstrap from, host:port separated by commas, e.g."
          + " my-cluster-kafka-bootstrap.kafka:9092.")
  private String bootstrapServers;

  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(
      value = "self.all(t, t.matches('" + TOPIC + "'))",
      message = "each of kafka.topics" + TOPIC_WORDS)
  @JsonPropertyDescription("Topics to consume, one to 16.")
  private List<@Size(min = 1, max = 249) String> topics;

  @Size(min = 1, max = 249)
  @ValidationRule(
      value = "self.matches('^[a-zA-Z0-9._-]+$')",
      message = "kafka.consumerGroup must be letters, digits, '.', '_' or '-'")
  @JsonPropertyDescription(
      "Consumer group whose offsets record progress. Default kinetic.<namespace>.<trigger name>:"
          + " a renamed Trigger starts a new group.")
  private String consumerGroup;

  @Pattern("^(Earliest|Latest)$")
  @Default(LATEST)
  @JsonPropertyDescription(
      "Where a consumer group with no committed offset starts: Earliest (the oldest record kept)"
          + " or Latest (records produced from now on). Default Latest.")
  private String initialOffset;

  @Pattern("^(Partition|Unordered)$")
  @Default(PARTITION)
  @JsonPropertyDescription(
      "Partition: records of a partition (so of a key) reach the function in order, one at a time"
          + " per partition. Unordered: as many at once as the function can take. Default"
          + " Partition.")
  private String ordering;

  @Size(min = 1, max = 249)
  @ValidationRule(
      value = "self.matches('" + TOPIC + "')",
      message = "kafka.deadLetterTopic" + TOPIC_WORDS)
  @JsonPropertyDescription(
      "Topic a record is written to once every attempt failed, with headers saying why, how many"
          + " attempts and where it came from; its partition then moves on. Without one, such a"
          + " record is counted failed and skipped.")
  private String deadLetterTopic;

  @Min(1)
  @Max(64L << 20)
  @Default("1048576")
  @JsonPropertyDescription(
      "A record whose value is larger than this many bytes is not delivered: it goes to the"
          + " dead-letter topic or Function (or is counted failed). Default 1048576 (1 MiB).")
  private Integer maxRecordBytes;

  @JsonPropertyDescription("SASL and TLS settings, from Secrets in the Trigger's namespace.")
  private KafkaAuthSpec auth;

  public String getBootstrapServers() {
    return bootstrapServers;
  }

  public void setBootstrapServers(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  public List<String> getTopics() {
    return topics;
  }

  public void setTopics(List<String> topics) {
    this.topics = topics;
  }

  public String getConsumerGroup() {
    return consumerGroup;
  }

  public void setConsumerGroup(String consumerGroup) {
    this.consumerGroup = consumerGroup;
  }

  public String getInitialOffset() {
    return initialOffset;
  }

  public void setInitialOffset(String initialOffset) {
    this.initialOffset = initialOffset;
  }

  public String getOrdering() {
    return ordering;
  }

  public void setOrdering(String ordering) {
    this.ordering = ordering;
  }

  public String getDeadLetterTopic() {
    return deadLetterTopic;
  }

  public void setDeadLetterTopic(String deadLetterTopic) {
    this.deadLetterTopic = deadLetterTopic;
  }

  public Integer getMaxRecordBytes() {
    return maxRecordBytes;
  }

  public void setMaxRecordBytes(Integer maxRecordBytes) {
    this.maxRecordBytes = maxRecordBytes;
  }

  public KafkaAuthSpec getAuth() {
    return auth;
  }

  public void setAuth(KafkaAuthSpec auth) {
    this.auth = auth;
  }
}
