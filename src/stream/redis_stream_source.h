#pragma once

#include <string>

#include "stream/stream_source.h"

struct redisContext;

namespace sluice::stream {

// 'connector' = 'redis-stream' through hiredis: the entries of the Redis stream at key
// 'stream' on 'address' (host:port, default 127.0.0.1:6379), one partition named "0" whose
// offset is the id of the last entry read. An entry with a field 'data' is that field's
// text (a JSON object or CSV line); otherwise its fields make the JSON object. Entries
// are read with XRANGE, so a restored job reads the same entries again (until trimmed).
class RedisStreamSource : public StreamSource {
 public:
  // Connects; throws IOError when the server cannot be reached.
  explicit RedisStreamSource(const SourceDefinition& def);
  ~RedisStreamSource() override;
  RedisStreamSource(const RedisStreamSource&) = delete;
  RedisStreamSource& operator=(const RedisStreamSource&) = delete;

  void Poll(SourceOffsets& offsets, size_t max_records, std::vector<RawRecord>& out) override;
  std::string Describe() const override;

 private:
  std::string key_;
  std::string address_;
  bool latest_ = false;
  redisContext* context_ = nullptr;
};

}  // namespace sluice::stream
