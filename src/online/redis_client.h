#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

struct redisContext;
struct redisReply;

namespace sluice::online {

// Where a Redis server is: redis://HOST[:PORT][/DB] (the default port 6379, database 0).
struct RedisUrl {
  std::string host = "127.0.0.1";
  int port = 6379;
  int db = 0;

  // Throws InvalidInputError naming the URL when it is not of that form.
  static RedisUrl Parse(const std::string& url);
  std::string ToString() const;
};

// One reply of Redis, as a value: nil, an integer, a string (bulk, status), an array, or an
// error reply (its message in `str`).
struct RedisValue {
  enum class Kind { kNil, kInteger, kString, kArray, kError };
  Kind kind = Kind::kNil;
  int64_t integer = 0;
  std::string str;
  std::vector<RedisValue> elements;

  bool is_nil() const { return kind == Kind::kNil; }
};

// A synchronous connection to one Redis server (hiredis), with pipelining: Append queues a
// command without waiting, Flush reads every queued reply. A reply that is an error, a lost
// connection or a timeout throws IOError naming the server and Redis's message. Not
// thread-safe: one connection per thread.
class RedisClient {
 public:
  // Connects and SELECTs the URL's database. `timeout_ms` bounds connecting and each reply.
  static std::unique_ptr<RedisClient> Connect(const RedisUrl& url, int timeout_ms = 5000);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs one command (words sent as binary-safe arguments) and returns its reply.
  RedisValue Command(const std::vector<std::string>& words);
  // Queues a command; its reply is read by Flush (or the next Command, which flushes first).
  void Append(const std::vector<std::string>& words);
  // Reads the replies of every queued command, in order. Throws IOError at the first error
  // reply, after reading the rest (the connection stays usable).
  std::vector<RedisValue> Flush() { return Drain(pending_); }
  // Reads the replies of the `count` oldest queued commands (sending every queued command
  // first), so a caller can keep later commands in flight while Redis works on them. Throws
  // as Flush. REQUIRES: count <= pending().
  std::vector<RedisValue> Drain(size_t count);
  size_t pending() const { return pending_; }
  const RedisUrl& url() const { return url_; }

 private:
  RedisClient(RedisUrl url, redisContext* context) : url_(std::move(url)), context_(context) {}
  RedisValue ReadReply();
  [[noreturn]] void Fail(const std::string& what) const;

  RedisUrl url_;
  redisContext* context_;
  size_t pending_ = 0;
};

}  // namespace sluice::online
