// The versioned publication of batch scores against a real redis-server: a reader never sees
// a half-written version or a mix of two, and a failed run leaves the previous one current.
#include "online/score_publisher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

#include "common/error.h"
#include "redis_server.h"

namespace sluice::online {
namespace {

constexpr int kKeys = 200;

// Publishes kKeys entities whose value is `gen`; commits unless `commit` is false.
int64_t Publish(RedisClient& client, const std::string& gen, bool commit = true,
                int keys = kKeys) {
  ScorePublisher publisher(client, {"m", 60, 64});
  const int64_t version = publisher.Begin();
  for (int k = 0; k < keys; k++) {
    publisher.Add("u" + std::to_string(k), gen);
  }
  if (commit) publisher.Commit({{"model", "m"}});
  return version;
}

class ScorePublisherTest : public ::testing::Test {
 protected:
  testing::RedisServer server_;
};

TEST_F(ScorePublisherTest, PublishesAndFlipsTheCurrentVersion) {
  auto client = RedisClient::Connect(server_.parsed(3));
  ScoreReader reader(*client, "m");
  EXPECT_EQ(reader.CurrentVersion(), 0);
  EXPECT_EQ(reader.Read("u1").version, 0);
  const int64_t v1 = Publish(*client, "a");
  EXPECT_EQ(reader.CurrentVersion(), v1);
  ScoreReader::Entry e = reader.Read("u7");
  EXPECT_EQ(e.version, v1);
  EXPECT_TRUE(e.found);
  EXPECT_EQ(e.value, "a");
  EXPECT_FALSE(reader.Read("nobody").found);
  EXPECT_EQ(reader.Read("nobody").version, v1);
  // The manifest and the database of the URL.
  EXPECT_EQ(client->Command({"HGET", "m:v1", "rows"}).str, std::to_string(kKeys));
  auto db0 = RedisClient::Connect(server_.parsed(0));
  EXPECT_TRUE(db0->Command({"GET", "m:current"}).is_nil());

  const int64_t v2 = Publish(*client, "b");
  EXPECT_EQ(v2, v1 + 1);
  EXPECT_EQ(reader.Read("u7").value, "b");
  // The old version still reads whole until it expires; the new one does not expire.
  EXPECT_EQ(client->Command({"GET", "m:v1:u7"}).str, "a");
  const int64_t ttl = client->Command({"TTL", "m:v1:u7"}).integer;
  EXPECT_GT(ttl, 0);
  EXPECT_LE(ttl, 60);
  EXPECT_GT(client->Command({"TTL", "m:v1"}).integer, 0);
  EXPECT_EQ(client->Command({"TTL", "m:v2:u7"}).integer, -1);
  EXPECT_EQ(client->Command({"TTL", "m:current"}).integer, -1);
}

TEST_F(ScorePublisherTest, AnUnfinishedRunLeavesThePreviousVersionServing) {
  auto client = RedisClient::Connect(server_.parsed());
  ScoreReader reader(*client, "m");
  const int64_t v1 = Publish(*client, "a");
  // Half of the next version written and flushed, never committed.
  const int64_t v2 = Publish(*client, "b", /*commit=*/false, kKeys / 2);
  EXPECT_EQ(client->Command({"EXISTS", VersionKey("m", v2, "u1")}).integer, 1);
  EXPECT_EQ(reader.CurrentVersion(), v1);
  for (int k = 0; k < kKeys; k++) {
    EXPECT_EQ(reader.Read("u" + std::to_string(k)).value, "a");
  }
  // The next run that succeeds expires the failed run's keys with the old version's.
  const int64_t v3 = Publish(*client, "c");
  EXPECT_EQ(reader.CurrentVersion(), v3);
  EXPECT_GT(client->Command({"TTL", VersionKey("m", v2, "u1")}).integer, 0);
  EXPECT_GT(client->Command({"TTL", VersionKey("m", v1, "u1")}).integer, 0);
}

TEST_F(ScorePublisherTest, RefusedWritesAndAKilledConnectionLeaveThePreviousVersion) {
  auto client = RedisClient::Connect(server_.parsed());
  auto admin = RedisClient::Connect(server_.parsed());
  ScoreReader reader(*admin, "m");
  const int64_t v1 = Publish(*client, "a");
  // Redis refuses writes once over its memory limit (noeviction): the run fails mid-way.
  admin->Command({"CONFIG", "SET", "maxmemory-policy", "noeviction"});
  admin->Command({"CONFIG", "SET", "maxmemory", "1"});
  EXPECT_THROW(Publish(*client, "big"), IOError);
  admin->Command({"CONFIG", "SET", "maxmemory", "0"});
  EXPECT_EQ(reader.CurrentVersion(), v1);
  EXPECT_EQ(reader.Read("u3").value, "a");

  // The connection is killed while the run writes.
  {
    auto victim = RedisClient::Connect(server_.parsed());
    victim->Command({"CLIENT", "SETNAME", "victim"});
    ScorePublisher publisher(*victim, {"m", 60, 16});
    publisher.Begin();
    for (int k = 0; k < 50; k++) publisher.Add("u" + std::to_string(k), "killed");
    victim->Flush();
    const int64_t killed =
        admin->Command({"CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"}).integer;
    EXPECT_GE(killed, 1);
    auto rest = [&] {
      for (int k = 50; k < kKeys; k++) {
        publisher.Add("u" + std::to_string(k), "killed");
      }
      publisher.Commit({});
    };
    EXPECT_THROW(rest(), IOError);
  }
  EXPECT_EQ(reader.CurrentVersion(), v1);
  EXPECT_EQ(reader.Read("u3").value, "a");
}

TEST_F(ScorePublisherTest, AStaleRunNeverReplacesALaterVersion) {
  auto a = RedisClient::Connect(server_.parsed());
  auto b = RedisClient::Connect(server_.parsed());
  ScorePublisher early(*a, {"m", 60, 64});
  early.Begin();
  early.Add("u1", "early");
  const int64_t later = Publish(*b, "later");
  try {
    early.Commit({});
    FAIL() << "a stale version was published";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("already current"), std::string::npos) << e.what();
  }
  ScoreReader reader(*b, "m");
  EXPECT_EQ(reader.CurrentVersion(), later);
  EXPECT_EQ(reader.Read("u1").value, "later");
}

// A reader that follows the pointer in two steps (GET, then every key of that version
// pipelined) during repeated swaps sees each version whole and alone.
TEST_F(ScorePublisherTest, AConcurrentReaderSeesOneWholeVersionPerRead) {
  auto writer = RedisClient::Connect(server_.parsed());
  Publish(*writer, "1");
  std::atomic<bool> done{false};
  std::atomic<int64_t> reads{0};
  std::atomic<int64_t> bad{0};
  std::string first_bad;
  std::map<int64_t, int> versions_seen;
  std::thread reader_thread([&] {
    auto client = RedisClient::Connect(server_.parsed());
    int64_t last = 0;
    while (!done.load()) {
      const int64_t version = std::stoll(client->Command({"GET", "m:current"}).str);
      for (int k = 0; k < kKeys; k++) {
        client->Append({"GET", VersionKey("m", version, "u" + std::to_string(k))});
      }
      const std::vector<RedisValue> gens = client->Flush();
      // Each run writes its sequence number (1-based, as the versions are) as the value.
      for (const RedisValue& g : gens) {
        if (g.is_nil() || g.str != std::to_string(version) || version < last) {
          if (bad++ == 0) {
            first_bad = "version " + std::to_string(version) + " read gen '" + g.str + "'";
          }
        }
      }
      ScoreReader atomic_reader(*client, "m");
      const ScoreReader::Entry e = atomic_reader.Read("u5");
      if (e.value != std::to_string(e.version) && bad++ == 0) {
        first_bad = "atomic read of version " + std::to_string(e.version);
      }
      last = version;
      versions_seen[version]++;
      reads++;
    }
  });
  for (int run = 2; run <= 12; run++) {
    // Let the reader read the current version at least once before the next swap.
    const int64_t before = reads.load();
    while (reads.load() == before) std::this_thread::yield();
    Publish(*writer, std::to_string(run));
  }
  const int64_t before = reads.load();
  while (reads.load() == before) std::this_thread::yield();
  done = true;
  reader_thread.join();
  EXPECT_EQ(bad.load(), 0) << first_bad;
  EXPECT_GE(versions_seen.size(), 12u);
}

TEST_F(ScorePublisherTest, AKeyInTwoRowsIsRefused) {
  auto client = RedisClient::Connect(server_.parsed());
  const int64_t v1 = Publish(*client, "a");
  ScorePublisher publisher(*client, {"m", 60, 4});
  publisher.Begin();
  for (int k = 0; k < 20; k++) publisher.Add("u" + std::to_string(k % 15), "dup");
  try {
    publisher.Commit({});
    FAIL() << "a duplicate key was published";
  } catch (const InvalidInputError& e) {
    EXPECT_NE(std::string(e.what()).find("key 'u0' appears in more than one row"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(ScoreReader(*client, "m").CurrentVersion(), v1);
}

TEST(RedisUrlTest, ParsesAndRefuses) {
  const RedisUrl u = RedisUrl::Parse("redis://localhost:6380/2");
  EXPECT_EQ(u.host, "localhost");
  EXPECT_EQ(u.port, 6380);
  EXPECT_EQ(u.db, 2);
  EXPECT_EQ(RedisUrl::Parse("redis://h").port, 6379);
  EXPECT_THROW(RedisUrl::Parse("http://h"), InvalidInputError);
  EXPECT_THROW(RedisUrl::Parse("redis://h:x"), InvalidInputError);
  EXPECT_THROW(RedisUrl::Parse("redis://h:1/y"), InvalidInputError);
}

}  // namespace
}  // namespace sluice::online
