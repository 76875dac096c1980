#include "stream/redis_stream_source.h"

#include <fmt/format.h>
#include <hiredis/hiredis.h>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace sluice::stream {

namespace {

constexpr const char* kPartition = "0";

struct ReplyDeleter {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

}  // namespace

RedisStreamSource::RedisStreamSource(const SourceDefinition& def)
    : key_(def.Option("stream")), address_(def.Option("address", "127.0.0.1:6379")) {
  const std::string mode = def.Option("scan.startup.mode", "earliest-offset");
  if (mode != "earliest-offset" && mode != "latest-offset") {
    throw InvalidInputError(fmt::format(
        "'scan.startup.mode' = '{}': earliest-offset or latest-offset", mode));
  }
  latest_ = mode == "latest-offset";
  const size_t colon = address_.rfind(':');
  const std::string host = colon == std::string::npos ? address_ : address_.substr(0, colon);
  const int port = colon == std::string::npos ? 6379 : std::stoi(address_.substr(colon + 1));
  const timeval timeout{5, 0};
  context_ = redisConnectWithTimeout(host.c_str(), port, timeout);
  if (context_ == nullptr || context_->err) {
    const std::string message = context_ ? context_->errstr : "out of memory";
    if (context_ != nullptr) redisFree(context_);
    context_ = nullptr;
    throw IOError(fmt::format("redis-stream {}: {}", address_, message));
  }
}

RedisStreamSource::~RedisStreamSource() {
  if (context_ != nullptr) redisFree(context_);
}

std::string RedisStreamSource::Describe() const {
  return fmt::format("redis stream '{}' at {}", key_, address_);
}

void RedisStreamSource::Poll(SourceOffsets& offsets, size_t max_records,
                             std::vector<RawRecord>& out) {
  std::string& last = offsets[kPartition];
  auto command = [&](const std::vector<std::string>& args) {
    std::vector<const char*> argv;
    std::vector<size_t> lengths;
    for (const auto& a : args) {
      argv.push_back(a.data());
      lengths.push_back(a.size());
    }
    Reply reply(static_cast<redisReply*>(
        redisCommandArgv(context_, static_cast<int>(args.size()), argv.data(), lengths.data())));
    if (!reply) throw IOError(fmt::format("{}: {}", Describe(), context_->errstr));
    if (reply->type == REDIS_REPLY_ERROR) {
      throw IOError(fmt::format("{}: {}", Describe(), std::string(reply->str, reply->len)));
    }
    return reply;
  };
  if (last.empty() && latest_) {
    Reply tail = command({"XREVRANGE", key_, "+", "-", "COUNT", "1"});
    last = tail->elements > 0 ? std::string(tail->element[0]->element[0]->str,
                                            tail->element[0]->element[0]->len)
                              : "0-0";
  }
  const std::string start = last.empty() ? "-" : "(" + last;
  Reply range = command({"XRANGE", key_, start, "+", "COUNT", std::to_string(max_records)});
  for (size_t i = 0; i < range->elements; i++) {
    const redisReply* entry = range->element[i];
    const std::string id(entry->element[0]->str, entry->element[0]->len);
    const redisReply* fields = entry->element[1];
    std::string payload;
    nlohmann::json object = nlohmann::json::object();
    for (size_t f = 0; f + 1 < fields->elements; f += 2) {
      const std::string name(fields->element[f]->str, fields->element[f]->len);
      std::string value(fields->element[f + 1]->str, fields->element[f + 1]->len);
      if (name == "data") payload = value;
      object[name] = std::move(value);
    }
    if (payload.empty()) payload = object.dump();
    out.push_back(RawRecord{kPartition, id, std::move(payload)});
    last = id;
  }
}

}  // namespace sluice::stream
