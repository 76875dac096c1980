// The RLE / bit-packed hybrid encoder against the decoder, for every bit width and for
// inputs that mix repeated runs with literal groups.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "io/parquet_encoding.h"

namespace sluice {
namespace {

std::vector<uint32_t> RoundTrip(const std::vector<uint32_t>& values, int width) {
  std::string encoded;
  RleBitPackedEncode(values.data(), values.size(), width, &encoded);
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size(),
                              width);
  std::vector<uint32_t> decoded(values.size());
  decoder.Decode(decoded.data(), decoded.size());
  return decoded;
}

TEST(RleBitPackedTest, RoundTripsEveryWidth) {
  std::mt19937_64 random(42);
  for (int width = 0; width <= 32; width++) {
    const uint64_t limit = width == 32 ? UINT32_MAX : (uint64_t{1} << width) - 1;
    std::vector<uint32_t> values;
    for (int run = 0; run < 60; run++) {
      const uint32_t v = static_cast<uint32_t>(random() & limit);
      // Runs of 1..20 copies: some become RLE runs, the rest literal groups of 8.
      const int copies = 1 + static_cast<int>(random() % 20);
      values.insert(values.end(), copies, v);
    }
    values.push_back(static_cast<uint32_t>(limit));  // the widest value of this width
    EXPECT_EQ(RoundTrip(values, width), values) << "bit width " << width;
  }
}

TEST(RleBitPackedTest, LongLiteralRunsDecodeInAnyChunks) {
  // Random values form long bit-packed runs; decoding them in chunks of odd sizes starts
  // and ends inside groups of 8 and near the end of the run's bytes.
  std::mt19937_64 random(7);
  for (int width = 1; width <= 32; width++) {
    const uint64_t limit = width == 32 ? UINT32_MAX : (uint64_t{1} << width) - 1;
    std::vector<uint32_t> values(1000 + width);
    for (uint32_t& v : values) v = static_cast<uint32_t>(random() & limit);
    std::string encoded;
    RleBitPackedEncode(values.data(), values.size(), width, &encoded);
    RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size(),
                                width);
    std::vector<uint32_t> decoded(values.size());
    for (size_t at = 0, chunk = 1; at < values.size(); at += chunk, chunk = chunk * 3 % 61 + 1) {
      chunk = std::min(chunk, values.size() - at);
      decoder.Decode(decoded.data() + at, chunk);
    }
    EXPECT_EQ(decoded, values) << "bit width " << width;
  }
}

TEST(RleBitPackedTest, SkipRepeatedOnlyWithinOneRunOfTheValue) {
  std::vector<uint32_t> values(100, 1);
  values.insert(values.end(), {0, 1, 1, 0, 1, 1, 1, 1});
  std::string encoded;
  RleBitPackedEncode(values.data(), values.size(), 1, &encoded);
  RleBitPackedDecoder decoder(reinterpret_cast<const uint8_t*>(encoded.data()), encoded.size(), 1);
  EXPECT_FALSE(decoder.SkipRepeated(0, 10));
  EXPECT_TRUE(decoder.SkipRepeated(1, 60));
  EXPECT_FALSE(decoder.SkipRepeated(1, 41));  // past the run
  EXPECT_TRUE(decoder.SkipRepeated(1, 40));
  EXPECT_FALSE(decoder.SkipRepeated(0, 1));  // a literal group
  std::vector<uint32_t> rest(8);
  decoder.Decode(rest.data(), rest.size());
  EXPECT_EQ(rest, std::vector<uint32_t>(values.begin() + 100, values.end()));
}

TEST(RleBitPackedTest, PacksLiteralsLeastSignificantBitFirst) {
  // Eight 1-bit values 1,0,1,1,0,0,0,1 form one literal group: header (1 << 1) | 1, then
  // the byte 0b10001101.
  std::string encoded;
  const std::vector<uint32_t> values{1, 0, 1, 1, 0, 0, 0, 1};
  RleBitPackedEncode(values.data(), values.size(), 1, &encoded);
  ASSERT_EQ(encoded.size(), 2u);
  EXPECT_EQ(static_cast<uint8_t>(encoded[0]), 3);
  EXPECT_EQ(static_cast<uint8_t>(encoded[1]), 0b10001101);
}

}  // namespace
}  // namespace sluice
