// AWS Signature V4 checked against the worked examples AWS publishes for S3 (Amazon S3 API
// Reference, "Examples: Signature Calculations" for the Authorization header): the same
// credentials, request and time must give the documented canonical request, string to sign
// and signature. This checks the signer independently of any server.
#include "objstore/sigv4.h"

#include <gtest/gtest.h>

#include "common/digest.h"

namespace sluice {
namespace {

const SigV4Credentials kExampleCredentials{
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3"};
const std::string kExampleDate = "20130524T000000Z";
const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(SigV4, GetObjectWithRangeMatchesTheAwsExample) {
  SigV4Request request;
  request.method = "GET";
  request.canonical_uri = "/test.txt";
  // Any case and order: the canonical form lower-cases and sorts.
  request.headers = {{"x-amz-date", kExampleDate},
                     {"Range", "bytes=0-9"},
                     {"Host", "examplebucket.s3.amazonaws.com"},
                     {"x-amz-content-sha256", kEmptySha256}};
  request.payload_sha256 = kEmptySha256;

  const std::string canonical = SigV4CanonicalRequest(request);
  EXPECT_EQ(canonical,
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:" +
                kEmptySha256 +
                "\nx-amz-date:20130524T000000Z\n\n"
                "host;range;x-amz-content-sha256;x-amz-date\n" +
                kEmptySha256);
  EXPECT_EQ(PayloadSha256Hex(canonical), Sha256Hex(canonical));
  EXPECT_EQ(PayloadSha256Hex(canonical),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  const std::string to_sign = SigV4StringToSign(canonical, kExampleDate, kExampleCredentials);
  EXPECT_EQ(to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(SigV4Signature(to_sign, kExampleDate, kExampleCredentials),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(SigV4Authorization(request, kExampleDate, kExampleCredentials),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, PutObjectMatchesTheAwsExample) {
  const std::string body = "Welcome to Amazon S3.";
  SigV4Request request;
  request.method = "PUT";
  request.canonical_uri = "/" + AwsUriEncode("test$file.text", true);
  EXPECT_EQ(request.canonical_uri, "/test%24file.text");
  request.payload_sha256 = PayloadSha256Hex(body);
  EXPECT_EQ(request.payload_sha256,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  request.headers = {{"Host", "examplebucket.s3.amazonaws.com"},
                     {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                     {"x-amz-date", kExampleDate},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                     {"x-amz-content-sha256", request.payload_sha256}};
  const std::string to_sign =
      SigV4StringToSign(SigV4CanonicalRequest(request), kExampleDate, kExampleCredentials);
  EXPECT_EQ(to_sign,
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d");
  EXPECT_EQ(SigV4Signature(to_sign, kExampleDate, kExampleCredentials),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, BucketLifecycleQueryMatchesTheAwsExample) {
  SigV4Request request;
  request.method = "GET";
  request.canonical_uri = "/";
  request.query = {{"lifecycle", ""}};
  request.headers = {{"host", "examplebucket.s3.amazonaws.com"},
                     {"x-amz-date", kExampleDate},
                     {"x-amz-content-sha256", kEmptySha256}};
  request.payload_sha256 = kEmptySha256;
  EXPECT_EQ(SigV4CanonicalRequest(request).substr(0, 17), "GET\n/\nlifecycle=\n");
  EXPECT_EQ(SigV4Authorization(request, kExampleDate, kExampleCredentials),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, ListObjectsQueryIsSortedAndMatchesTheAwsExample) {
  SigV4Request request;
  request.method = "GET";
  request.canonical_uri = "/";
  request.query = {{"prefix", "J"}, {"max-keys", "2"}};  // sorted by the canonical form
  request.headers = {{"host", "examplebucket.s3.amazonaws.com"},
                     {"x-amz-date", kExampleDate},
                     {"x-amz-content-sha256", kEmptySha256}};
  request.payload_sha256 = kEmptySha256;
  EXPECT_EQ(CanonicalQueryString(request.query), "max-keys=2&prefix=J");
  EXPECT_EQ(SigV4Authorization(request, kExampleDate, kExampleCredentials),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
            "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, UriEncodingFollowsAwsRules) {
  EXPECT_EQ(AwsUriEncode("dir with space/a+b=c&d~_-.txt", true),
            "dir%20with%20space/a%2Bb%3Dc%26d~_-.txt");
  EXPECT_EQ(AwsUriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(AwsUriEncode("\xc3\xa9", true), "%C3%A9");
  EXPECT_EQ(CanonicalQueryString({{"uploadId", "x/y"}, {"partNumber", "2"}}),
            "partNumber=2&uploadId=x%2Fy");
}

}  // namespace
}  // namespace sluice
