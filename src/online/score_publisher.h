#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "online/redis_client.h"

namespace sluice::online {

// Field/value pairs of one Redis hash.
using HashFields = std::vector<std::pair<std::string, std::string>>;

// Publishes batch scores to Redis as versions, so that readers never see a mix of two
// versions or a half-written one. Keys, for a prefix P (the model's name by default):
//   P:seq          the last version number handed out (INCR)
//   P:v<N>:<key>   one string per entity of version N (the caller's value, e.g. JSON;
//                  written pipelined with SET NX)
//   P:v<N>         version N's manifest hash (rows, and what the caller adds)
//   P:current      N, the version readers follow
// Commit flips P:current in one atomic step (a Lua script that also refuses to go back to
// an older version when a later run already published), then gives every key of the older
// versions (and of failed runs) an expiry of `expire_seconds`, so a reader that read the
// pointer just before the flip still finds its version whole. A run that fails before
// Commit leaves P:current as it was. Not thread-safe; uses its client only.
class ScorePublisher {
 public:
  struct Options {
    std::string prefix;
    int64_t expire_seconds = 300;  // how long an old version stays readable after the flip
    // Commands per pipelined chunk: the replies of a chunk are read once the next chunk is
    // queued, so Redis works on one chunk while the caller makes the next.
    size_t pipeline_depth = 1024;
  };

  // REQUIRES: `client` outlives the publisher; options.prefix is not empty.
  ScorePublisher(RedisClient& client, Options options);

  // Starts a version: takes its number from P:seq. REQUIRES: called once, before Add.
  int64_t Begin();
  // Writes entity `key`'s value into the new version (pipelined: errors, and a key written
  // twice, surface on a later call or at Commit). REQUIRES: Begin was called.
  void Add(const std::string& key, const std::string& value);
  // Writes the manifest (`manifest` plus rows and the version), flips P:current to the new
  // version and expires the older versions. Throws IOError when Redis refused a write or a
  // later version is already current, InvalidInputError when a key was added twice; then
  // P:current is unchanged.
  void Commit(HashFields manifest);

  int64_t version() const { return version_; }
  int64_t rows() const { return rows_; }
  // The number of keys Commit set to expire.
  int64_t expired_keys() const { return expired_keys_; }

 private:
  void ExpireOlderVersions();
  // Reads the replies of the `count` oldest queued SETs; a nil reply (NX refused) means a
  // key written a second time.
  void DrainEntities(size_t count);

  RedisClient& client_;
  Options options_;
  int64_t version_ = 0;
  int64_t rows_ = 0;
  int64_t expired_keys_ = 0;
  std::deque<std::string> pending_keys_;  // the entity keys of the queued SETs
  std::string duplicate_key_;              // the first key added twice
};

// A version's entity key: P:v<N>:<key>.
std::string VersionKey(const std::string& prefix, int64_t version, const std::string& key);

// Reads published scores the way readers must: the pointer and the entity's value in one
// atomic step (a Lua script), so the value always belongs to the version that was current.
class ScoreReader {
 public:
  struct Entry {
    int64_t version = 0;  // 0: nothing published yet
    bool found = false;   // false: no such key in the current version
    std::string value;
  };

  // REQUIRES: `client` outlives the reader.
  ScoreReader(RedisClient& client, std::string prefix)
      : client_(client), prefix_(std::move(prefix)) {}

  Entry Read(const std::string& key);
  // The current version (0 when none).
  int64_t CurrentVersion();

 private:
  RedisClient& client_;
  std::string prefix_;
};

}  // namespace sluice::online
