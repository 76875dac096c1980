// io/snappy_decode.h against libsnappy's encoder (through ParquetCompress): every block it
// writes decodes to the original bytes, and damaged blocks are refused without writing
// outside the output (run under the sanitizers by make sanitize-units).
#include "io/snappy_decode.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "io/parquet_compression.h"

namespace sluice {
namespace {

std::string Compressed(const std::string& raw) {
  std::string out;
  ParquetCompress(parquet::Codec::kSnappy, 0, raw.data(), raw.size(), &out);
  return out;
}

bool Decode(const std::string& block, std::vector<uint8_t>* out) {
  return SnappyDecode(reinterpret_cast<const uint8_t*>(block.data()), block.size(), out->data(),
                      out->size());
}

// Inputs shaped like Parquet pages: bit-packed indices of a few bits, plain integers, text,
// runs of one byte and short repeating patterns (copies closer than 16 bytes).
std::vector<std::string> Inputs() {
  std::mt19937_64 rng(7);
  std::vector<std::string> inputs;
  for (int bits : {1, 3, 5, 8}) {
    std::string s(100000 + bits, '\0');
    for (auto& c : s) c = static_cast<char>(rng() & ((1u << bits) - 1));
    inputs.push_back(s);
  }
  std::string ints;
  for (int i = 0; i < 20000; i++) {
    const int64_t v = 100000 + static_cast<int64_t>(rng() % 5000);
    ints.append(reinterpret_cast<const char*>(&v), 8);
  }
  inputs.push_back(ints);
  const char* words[] = {"the ", "quick ", "brown ", "fox ", "final ", "deposits ", "x"};
  std::string text;
  while (text.size() < 70000) text += words[rng() % 7];
  inputs.push_back(text);
  inputs.push_back(std::string(65537, 'a'));
  for (size_t period = 1; period <= 17; period++) {
    std::string s;
    for (size_t i = 0; i < 3000 + period; i++) s += static_cast<char>('a' + i % period);
    inputs.push_back(s);
  }
  inputs.push_back("");
  inputs.push_back("a");
  inputs.push_back("abcdefghijklmnopq");  // one literal longer than 16 bytes, at the end
  return inputs;
}

TEST(SnappyDecode, DecodesWhatLibsnappyEncodes) {
  for (const std::string& raw : Inputs()) {
    const std::string block = Compressed(raw);
    std::vector<uint8_t> out(raw.size());
    ASSERT_TRUE(Decode(block, &out)) << raw.size() << " bytes";
    EXPECT_EQ(std::string(out.begin(), out.end()), raw) << raw.size() << " bytes";
  }
}

TEST(SnappyDecode, RefusesAWrongStatedLength) {
  const std::string block = Compressed("hello hello hello hello");
  std::vector<uint8_t> shorter(22), longer(24);
  EXPECT_FALSE(Decode(block, &shorter));
  EXPECT_FALSE(Decode(block, &longer));
}

TEST(SnappyDecode, RefusesACopyBeforeTheStart) {
  // Length 4, then a copy (tag 01: 4 bytes, offset 1) with nothing written yet.
  const std::string block("\x04\x01\x01", 3);
  std::vector<uint8_t> out(4);
  EXPECT_FALSE(Decode(block, &out));
}

TEST(SnappyDecode, DamagedBlocksAreRefusedOrDecodeInsideTheOutput) {
  std::mt19937_64 rng(11);
  int refused = 0;
  for (const std::string& raw : Inputs()) {
    if (raw.size() < 100) continue;
    const std::string block = Compressed(raw);
    for (int k = 0; k < 300; k++) {
      std::string bad = block;
      bad[rng() % bad.size()] ^= static_cast<char>(1 + rng() % 255);
      if (rng() % 3 == 0) bad.resize(rng() % bad.size());
      // Exactly the stated size, so that a write past it would be caught by the sanitizers.
      std::vector<uint8_t> out(raw.size());
      refused += !Decode(bad, &out);
    }
  }
  EXPECT_GT(refused, 0);
}

}  // namespace
}  // namespace sluice
