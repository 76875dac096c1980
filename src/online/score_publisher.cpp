#include "online/score_publisher.h"

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::online {

namespace {

// Sets P:current to ARGV[1] unless it already holds a version at or above it; returns the
// version that is current afterwards.
constexpr const char* kFlipScript = R"(
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local version = tonumber(ARGV[1])
if current >= version then return current end
redis.call('SET', KEYS[1], ARGV[1])
return version
)";

// Returns {version, GET of P:v<version>:<key>} read atomically ({version} when the key is
// missing), or {} before the first version.
constexpr const char* kReadScript = R"(
local version = redis.call('GET', KEYS[1])
if not version then return {} end
return {version, redis.call('GET', ARGV[1] .. ':v' .. version .. ':' .. ARGV[2])}
)";

// `text` with Redis's glob characters escaped (for SCAN MATCH).
std::string GlobEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

// The version of a key P:v<N> or P:v<N>:..., or -1 when the key is not of that form.
int64_t VersionOf(const std::string& key, const std::string& prefix) {
  const std::string head = prefix + ":v";
  if (key.compare(0, head.size(), head) != 0) return -1;
  size_t i = head.size();
  int64_t n = 0;
  const size_t first = i;
  while (i < key.size() && key[i] >= '0' && key[i] <= '9' && i - first < 18) {
    n = n * 10 + (key[i] - '0');
    i++;
  }
  if (i == first || (i < key.size() && key[i] != ':')) return -1;
  return n;
}

}  // namespace

std::string VersionKey(const std::string& prefix, int64_t version, const std::string& key) {
  return fmt::format("{}:v{}:{}", prefix, version, key);
}

ScorePublisher::ScorePublisher(RedisClient& client, Options options)
    : client_(client), options_(std::move(options)) {
  SLUICE_CHECK(!options_.prefix.empty(), "ScorePublisher needs a key prefix");
}

int64_t ScorePublisher::Begin() {
  SLUICE_CHECK(version_ == 0, "ScorePublisher::Begin called twice");
  version_ = client_.Command({"INCR", options_.prefix + ":seq"}).integer;
  return version_;
}

void ScorePublisher::Add(const std::string& key, const std::string& value) {
  SLUICE_CHECK(version_ > 0, "ScorePublisher::Add before Begin");
  client_.Append({"SET", VersionKey(options_.prefix, version_, key), value, "NX"});
  pending_keys_.push_back(key);
  rows_++;
  if (client_.pending() >= 2 * options_.pipeline_depth) DrainEntities(options_.pipeline_depth);
}

void ScorePublisher::DrainEntities(size_t count) {
  const std::vector<RedisValue> replies = client_.Drain(count);
  for (const RedisValue& reply : replies) {
    if (reply.is_nil() && duplicate_key_.empty()) duplicate_key_ = pending_keys_.front();
    pending_keys_.pop_front();
  }
}

void ScorePublisher::Commit(HashFields manifest) {
  SLUICE_CHECK(version_ > 0, "ScorePublisher::Commit before Begin");
  DrainEntities(client_.pending());
  if (!duplicate_key_.empty()) {
    throw InvalidInputError(fmt::format(
        "scores for {} not published: key '{}' appears in more than one row (the key must "
        "identify one entity)",
        options_.prefix, duplicate_key_));
  }
  manifest.emplace_back("rows", std::to_string(rows_));
  manifest.emplace_back("version", std::to_string(version_));
  std::vector<std::string> words = {"HSET", fmt::format("{}:v{}", options_.prefix, version_)};
  for (const auto& [name, value] : manifest) {
    words.push_back(name);
    words.push_back(value);
  }
  client_.Append(words);
  client_.Flush();
  const RedisValue current = client_.Command(
      {"EVAL", kFlipScript, "1", options_.prefix + ":current", std::to_string(version_)});
  if (current.integer != version_) {
    throw IOError(fmt::format(
        "scores for {} not published: version {} is already current (a later run published "
        "while version {} was being written)",
        options_.prefix, current.integer, version_));
  }
  ExpireOlderVersions();
}

void ScorePublisher::ExpireOlderVersions() {
  const std::string pattern = GlobEscape(options_.prefix) + ":v*";
  const std::string seconds = std::to_string(options_.expire_seconds);
  std::string cursor = "0";
  do {
    const RedisValue page =
        client_.Command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    SLUICE_CHECK(page.elements.size() == 2, "unexpected SCAN reply");
    cursor = page.elements[0].str;
    for (const RedisValue& key : page.elements[1].elements) {
      const int64_t v = VersionOf(key.str, options_.prefix);
      if (v < 0 || v >= version_) continue;
      // NX: a key already expiring keeps its earlier deadline.
      client_.Append({"EXPIRE", key.str, seconds, "NX"});
    }
    for (const RedisValue& r : client_.Flush()) expired_keys_ += r.integer;
  } while (cursor != "0");
}

ScoreReader::Entry ScoreReader::Read(const std::string& key) {
  const RedisValue r =
      client_.Command({"EVAL", kReadScript, "1", prefix_ + ":current", prefix_, key});
  Entry entry;
  if (r.elements.empty()) return entry;
  entry.version = std::stoll(r.elements[0].str);
  // Lua turns a nil GET into false, which ends the array: one element means no key.
  if (r.elements.size() == 2 && r.elements[1].kind == RedisValue::Kind::kString) {
    entry.found = true;
    entry.value = r.elements[1].str;
  }
  return entry;
}

int64_t ScoreReader::CurrentVersion() {
  const RedisValue r = client_.Command({"GET", prefix_ + ":current"});
  return r.is_nil() ? 0 : std::stoll(r.str);
}

}  // namespace sluice::online
