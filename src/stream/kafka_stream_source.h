#pragma once

#include <string>

#include "stream/stream_source.h"

typedef struct rd_kafka_s rd_kafka_t;

namespace sluice::stream {

// 'connector' = 'kafka' through librdkafka: every partition of 'topic' at
// 'properties.bootstrap.servers'. Each Poll reads, per partition, from the saved offset up
// to the partition's end as it was when the poll began; the next offset is the saved one,
// so a restored job reads the same records again (Kafka keeps them until retention).
// 'scan.startup.mode' = 'earliest-offset' (default) or 'latest-offset' decides where a
// partition without a saved offset starts. Other 'properties.*' keys go to librdkafka as
// they are (security.protocol, sasl.*, ...). Offsets are never committed to Kafka.
class KafkaStreamSource : public StreamSource {
 public:
  // Throws IOError when the client cannot be made.
  explicit KafkaStreamSource(const SourceDefinition& def);
  ~KafkaStreamSource() override;
  KafkaStreamSource(const KafkaStreamSource&) = delete;
  KafkaStreamSource& operator=(const KafkaStreamSource&) = delete;

  void Poll(SourceOffsets& offsets, size_t max_records, std::vector<RawRecord>& out) override;
  std::string Describe() const override;

 private:
  std::string topic_;
  std::string servers_;
  bool latest_ = false;
  rd_kafka_t* consumer_ = nullptr;
};

}  // namespace sluice::stream
