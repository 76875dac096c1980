// S3Client against a real S3 server: tests/s3/s3_test.sh starts s3rver (which verifies
// signatures through its own check, see tests/s3/server.mjs) and runs these with
// SLUICE_TEST_S3_ENDPOINT=http://127.0.0.1:<port>; without it they skip.
#include "objstore/s3_client.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace sluice {
namespace {

constexpr const char* kBucket = "sluice";

class S3ClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* endpoint = std::getenv("SLUICE_TEST_S3_ENDPOINT");
    if (endpoint == nullptr)
      GTEST_SKIP() << "SLUICE_TEST_S3_ENDPOINT is not set (s3_test.sh sets it)";
    config_.endpoint = endpoint;
    config_.path_style = true;
    config_.access_key_id = "S3RVER";
    config_.secret_access_key = "S3RVER";
  }

  S3Config config_;
};

TEST_F(S3ClientTest, PutHeadRangeGetDelete) {
  const S3Client client(config_);
  const S3Location object{kBucket, "client/hello.txt"};
  client.Put(object, "hello, object world");
  EXPECT_EQ(client.Head(object), 19);
  char buffer[32];
  ASSERT_EQ(client.GetRange(object, 7, buffer, 6), 6u);
  EXPECT_EQ(std::string(buffer, 6), "object");
  // Past the end: fewer bytes, then none.
  EXPECT_EQ(client.GetRange(object, 13, buffer, 10), 6u);
  EXPECT_EQ(std::string(buffer, 6), " world");
  EXPECT_EQ(client.GetRange(object, 19, buffer, 4), 0u);
  EXPECT_EQ(client.Get(object), "hello, object world");
  client.Delete(object);
  EXPECT_EQ(client.Head(object), std::nullopt);
}

TEST_F(S3ClientTest, ListFollowsContinuationTokens) {
  const S3Client client(config_);
  for (int i = 6; i >= 0; i--) {
    client.Put({kBucket, "list/part-" + std::to_string(i)}, std::string(i, 'x'));
  }
  client.Put({kBucket, "listing-elsewhere"}, "x");
  const int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  const std::vector<S3Object> objects = client.List(kBucket, "list/", 2);  // 4 pages
  ASSERT_EQ(objects.size(), 7u);
  for (int i = 0; i < 7; i++) {
    EXPECT_EQ(objects[i].key, "list/part-" + std::to_string(i));
    EXPECT_EQ(objects[i].size, i);
    // LastModified: just now (S3 keeps seconds or milliseconds).
    EXPECT_LT(std::abs(objects[i].modified_ms - now_ms), 60000) << objects[i].modified_ms;
  }
}

TEST_F(S3ClientTest, KeysWithReservedCharactersRoundTrip) {
  const S3Client client(config_);
  const S3Location object{kBucket, "odd dir/a+b=c&d,e;(f)~é.txt"};
  client.Put(object, "odd");
  EXPECT_EQ(client.Get(object), "odd");
  const auto listed = client.List(kBucket, "odd dir/");
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].key, object.key);
}

TEST_F(S3ClientTest, LargeFilesUploadInParts) {
  config_.part_size = 1 << 20;
  const S3Client client(config_);
  const std::string local =
      (std::filesystem::temp_directory_path() / "sluice-s3-client-test-upload").string();
  std::string bytes;
  for (int i = 0; bytes.size() < (7u << 19); i++) bytes += std::to_string(i * 7919) + ",";
  std::ofstream(local, std::ios::binary) << bytes;
  const S3Location object{kBucket, "client/multipart.bin"};
  client.UploadFile(local, object);
  std::filesystem::remove(local);
  EXPECT_EQ(client.Head(object), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(client.Get(object), bytes);
}

TEST_F(S3ClientTest, ErrorsNameTheUrlAndS3sReason) {
  const S3Client client(config_);
  try {
    client.Get({kBucket, "client/missing.txt"});
    FAIL() << "no error";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("'s3://sluice/client/missing.txt'"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("NoSuchKey"), std::string::npos) << e.what();
  }
  S3Config wrong_secret = config_;
  wrong_secret.secret_access_key = "not-the-secret";
  try {
    S3Client(wrong_secret).Put({kBucket, "client/denied.txt"}, "x");
    FAIL() << "no error";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("SignatureDoesNotMatch"), std::string::npos) << e.what();
  }
  EXPECT_EQ(client.Head({kBucket, "client/denied.txt"}), std::nullopt);
  S3Config unknown_key = config_;
  unknown_key.access_key_id = "NOBODY";
  try {
    S3Client(unknown_key).Head({kBucket, "client/x"});
    FAIL() << "no error";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("HTTP 403"), std::string::npos) << e.what();
  }
}

TEST_F(S3ClientTest, UnreachableEndpointIsAClearError) {
  config_.endpoint = "http://127.0.0.1:1";  // nothing listens on port 1
  const S3Client client(config_);
  try {
    client.Head({kBucket, "x"});
    FAIL() << "no error";
  } catch (const IOError& e) {
    EXPECT_NE(std::string(e.what()).find("'s3://sluice/x'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sluice
