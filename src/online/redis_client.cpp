#include "online/redis_client.h"

#include <hiredis/hiredis.h>

#include <fmt/format.h>

#include <sys/time.h>

#include "common/error.h"

namespace sluice::online {

namespace {

RedisValue ToValue(const redisReply* r) {
  RedisValue v;
  switch (r->type) {
    case REDIS_REPLY_INTEGER:
      v.kind = RedisValue::Kind::kInteger;
      v.integer = r->integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      v.kind = RedisValue::Kind::kString;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      v.kind = RedisValue::Kind::kError;
      v.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ARRAY:
      v.kind = RedisValue::Kind::kArray;
      for (size_t i = 0; i < r->elements; i++) v.elements.push_back(ToValue(r->element[i]));
      break;
    default:
      break;
  }
  return v;
}

int ParsePart(const std::string& url, const std::string& text, const char* what) {
  size_t used = 0;
  int n = -1;
  try {
    n = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || n < 0) {
    throw InvalidInputError(
        fmt::format("invalid Redis URL '{}': the {} must be a number, got '{}' "
                    "(expected redis://HOST[:PORT][/DB])",
                    url, what, text));
  }
  return n;
}

}  // namespace

RedisUrl RedisUrl::Parse(const std::string& url) {
  const std::string scheme = "redis://";
  if (url.rfind(scheme, 0) != 0) {
    throw InvalidInputError(
        fmt::format("invalid Redis URL '{}': expected redis://HOST[:PORT][/DB]", url));
  }
  RedisUrl out;
  std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    const std::string db = rest.substr(slash + 1);
    if (!db.empty()) out.db = ParsePart(url, db, "database");
    rest = rest.substr(0, slash);
  }
  const size_t colon = rest.rfind(':');
  if (colon != std::string::npos) {
    out.port = ParsePart(url, rest.substr(colon + 1), "port");
    rest = rest.substr(0, colon);
  }
  if (!rest.empty()) out.host = rest;
  return out;
}

std::string RedisUrl::ToString() const { return fmt::format("redis://{}:{}/{}", host, port, db); }

std::unique_ptr<RedisClient> RedisClient::Connect(const RedisUrl& url, int timeout_ms) {
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  redisContext* c = redisConnectWithTimeout(url.host.c_str(), url.port, tv);
  if (c == nullptr || c->err != 0) {
    const std::string why = c != nullptr ? c->errstr : "out of memory";
    if (c != nullptr) redisFree(c);
    throw IOError(fmt::format("cannot connect to Redis at {}: {}", url.ToString(), why));
  }
  redisSetTimeout(c, tv);
  std::unique_ptr<RedisClient> client(new RedisClient(url, c));
  if (url.db != 0) client->Command({"SELECT", std::to_string(url.db)});
  return client;
}

RedisClient::~RedisClient() { redisFree(context_); }

void RedisClient::Fail(const std::string& what) const {
  throw IOError(fmt::format("Redis at {}: {}", url_.ToString(), what));
}

void RedisClient::Append(const std::vector<std::string>& words) {
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  argv.reserve(words.size());
  lengths.reserve(words.size());
  for (const std::string& w : words) {
    argv.push_back(w.data());
    lengths.push_back(w.size());
  }
  if (redisAppendCommandArgv(context_, static_cast<int>(words.size()), argv.data(),
                             lengths.data()) != REDIS_OK) {
    Fail(context_->errstr);
  }
  pending_++;
}

RedisValue RedisClient::ReadReply() {
  void* raw = nullptr;
  if (redisGetReply(context_, &raw) != REDIS_OK || raw == nullptr) {
    pending_ = 0;
    Fail(context_->err != 0 ? context_->errstr : "no reply");
  }
  pending_--;
  auto* reply = static_cast<redisReply*>(raw);
  const bool error = reply->type == REDIS_REPLY_ERROR;
  RedisValue v = ToValue(reply);
  freeReplyObject(reply);
  if (error) v.kind = RedisValue::Kind::kError;
  return v;
}

std::vector<RedisValue> RedisClient::Drain(size_t count) {
  std::vector<RedisValue> out;
  out.reserve(count);
  std::string first_error;
  for (size_t i = 0; i < count && pending_ > 0; i++) {
    RedisValue v = ReadReply();
    if (v.kind == RedisValue::Kind::kError && first_error.empty()) first_error = v.str;
    out.push_back(std::move(v));
  }
  if (!first_error.empty()) Fail(first_error);
  return out;
}

RedisValue RedisClient::Command(const std::vector<std::string>& words) {
  Append(words);
  return Flush().back();
}

}  // namespace sluice::online
