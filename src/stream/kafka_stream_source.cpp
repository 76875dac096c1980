#include "stream/kafka_stream_source.h"

#include <fmt/format.h>
#include <librdkafka/rdkafka.h>

#include <chrono>

#include "common/error.h"

namespace sluice::stream {

namespace {

constexpr int kTimeoutMs = 5000;

std::string PartitionName(int32_t p) { return std::to_string(p); }

}  // namespace

KafkaStreamSource::KafkaStreamSource(const SourceDefinition& def)
    : topic_(def.Option("topic")), servers_(def.Option("properties.bootstrap.servers")) {
  const std::string mode = def.Option("scan.startup.mode", "earliest-offset");
  if (mode != "earliest-offset" && mode != "latest-offset") {
    throw InvalidInputError(fmt::format(
        "'scan.startup.mode' = '{}': earliest-offset or latest-offset", mode));
  }
  latest_ = mode == "latest-offset";
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  char error[512];
  auto set = [&](const std::string& key, const std::string& value) {
    if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw InvalidInputError(fmt::format("kafka property '{}': {}", key, error));
    }
  };
  set("group.id", "sluice-" + def.name);
  set("enable.auto.commit", "false");
  set("enable.partition.eof", "false");
  for (const auto& [key, value] : def.options) {
    if (key.starts_with("properties.")) set(key.substr(11), value);
  }
  consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (consumer_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw IOError(fmt::format("kafka: {}", error));
  }
}

KafkaStreamSource::~KafkaStreamSource() {
  if (consumer_ != nullptr) {
    rd_kafka_consumer_close(consumer_);
    rd_kafka_destroy(consumer_);
  }
}

std::string KafkaStreamSource::Describe() const {
  return fmt::format("kafka topic '{}' at {}", topic_, servers_);
}

void KafkaStreamSource::Poll(SourceOffsets& offsets, size_t max_records,
                             std::vector<RawRecord>& out) {
  rd_kafka_topic_t* topic = rd_kafka_topic_new(consumer_, topic_.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(consumer_, 0, topic, &metadata, kTimeoutMs);
  rd_kafka_topic_destroy(topic);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw IOError(fmt::format("kafka {}: metadata: {}", Describe(), rd_kafka_err2str(err)));
  }
  std::vector<int32_t> partitions;
  for (int t = 0; t < metadata->topic_cnt; t++) {
    if (metadata->topics[t].err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const std::string message = rd_kafka_err2str(metadata->topics[t].err);
      rd_kafka_metadata_destroy(metadata);
      throw IOError(fmt::format("kafka {}: {}", Describe(), message));
    }
    for (int p = 0; p < metadata->topics[t].partition_cnt; p++) {
      partitions.push_back(metadata->topics[t].partitions[p].id);
    }
  }
  rd_kafka_metadata_destroy(metadata);

  // Each partition is read from its offset to its end as of now.
  std::map<int32_t, int64_t> next, end;
  rd_kafka_topic_partition_list_t* assignment =
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()));
  for (int32_t p : partitions) {
    int64_t low = 0, high = 0;
    err = rd_kafka_query_watermark_offsets(consumer_, topic_.c_str(), p, &low, &high, kTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      rd_kafka_topic_partition_list_destroy(assignment);
      throw IOError(fmt::format("kafka {} partition {}: {}", Describe(), p, rd_kafka_err2str(err)));
    }
    std::string& saved = offsets[PartitionName(p)];
    if (saved.empty()) saved = std::to_string(latest_ ? high : low);
    next[p] = std::max<int64_t>(std::stoll(saved), low);
    end[p] = high;
    if (next[p] < high) rd_kafka_topic_partition_list_add(assignment, topic_.c_str(), p)->offset = next[p];
  }
  if (assignment->cnt == 0) {
    rd_kafka_topic_partition_list_destroy(assignment);
    return;
  }
  rd_kafka_assign(consumer_, assignment);
  rd_kafka_topic_partition_list_destroy(assignment);
  size_t open = 0;
  for (int32_t p : partitions) open += next[p] < end[p] ? 1 : 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  size_t taken = 0;
  while (open > 0 && taken < max_records && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, 100);
    if (m == nullptr) continue;
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      const rd_kafka_resp_err_t code = m->err;
      const std::string message = rd_kafka_message_errstr(m);
      rd_kafka_message_destroy(m);
      if (code == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
      throw IOError(fmt::format("kafka {}: {}", Describe(), message));
    }
    const int32_t p = m->partition;
    // A message past the end seen at the start, or one already read, waits for a later poll.
    if (m->offset >= next[p] && m->offset < end[p]) {
      out.push_back(RawRecord{PartitionName(p), std::to_string(m->offset),
                              std::string(static_cast<const char*>(m->payload), m->len)});
      taken++;
      next[p] = m->offset + 1;
      if (next[p] >= end[p]) open--;
    }
    rd_kafka_message_destroy(m);
  }
  rd_kafka_assign(consumer_, nullptr);
  for (int32_t p : partitions) offsets[PartitionName(p)] = std::to_string(next[p]);
}

}  // namespace sluice::stream
