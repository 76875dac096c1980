// Random mutations of valid CSVs must produce rows or UserErrors: never a crash, a hang or
// another exception (an InternalError from a failed check included).
#include <gtest/gtest.h>

#include <random>

#include "csv_test_util.h"
#include "io/csv_reader.h"

namespace sluice {
namespace {

using testing::TempDir;

const std::vector<std::string> kSeeds = {
    "id,name,price,day\n1,apple,1.5,2024-01-01\n2,\"pear, green\",2,2024-01-02\n"
    "3,\"say \"\"hi\"\"\",,2024-01-03\n",
    "a|b|c\n1|2|3\n4|5|6\n7|8|9\n",
    "x;y\r\n\"multi\nline\";true\r\nplain;false\r\n",
    "ts\tv\n2024-01-01 10:00:00\t-1e5\n2024-01-02 11:00:00.5\t7\n",
    "1,2\n3,4\n",
};

std::string Mutate(std::string text, std::mt19937& rng) {
  static const char kSpecial[] = {',', '"', '\n', '\r', '|', ';', '\t', '\\', 'x', '0', '\0'};
  const int edits = 1 + static_cast<int>(rng() % 6);
  for (int e = 0; e < edits; e++) {
    const size_t pos = text.empty() ? 0 : rng() % (text.size() + 1);
    switch (rng() % 6) {
      case 0:  // insert a special character
        text.insert(text.begin() + pos, kSpecial[rng() % sizeof(kSpecial)]);
        break;
      case 1:  // delete a range
        if (!text.empty()) text.erase(pos, 1 + rng() % 5);
        break;
      case 2:  // overwrite with a random byte
        if (pos < text.size()) text[pos] = static_cast<char>(rng() % 256);
        break;
      case 3:  // duplicate a chunk
        if (!text.empty()) {
          const size_t from = rng() % text.size();
          text.insert(pos, text.substr(from, 1 + rng() % 40));
        }
        break;
      case 4:  // truncate
        text.resize(pos);
        break;
      default:  // a long run
        text.insert(pos, std::string(rng() % 300, kSpecial[rng() % sizeof(kSpecial)]));
    }
  }
  return text;
}

void ReadEverything(const std::string& path, const CsvOptions& options) {
  try {
    auto source = CsvSource::Open(path, options);
    std::vector<int> all;
    for (size_t i = 0; i < source->schema().size(); i++) all.push_back(static_cast<int>(i));
    for (int s = 0; s < source->num_splits(); s++) {
      auto stream = source->Open(s, all);
      Batch batch;
      int batches = 0;
      while (stream->Next(&batch)) {
        ASSERT_GT(batch.num_rows(), 0u);
        ASSERT_LT(++batches, 10000) << "stream does not end";
      }
    }
  } catch (const UserError&) {
    // Expected for malformed input.
  }
}

TEST(CsvFuzzTest, RandomMutationsOnlyRaiseUserErrors) {
  TempDir dir;
  const std::string path = dir.path() + "/fuzz.csv";
  std::mt19937 rng(12345);
  for (int iteration = 0; iteration < 2000; iteration++) {
    const std::string text = Mutate(kSeeds[iteration % kSeeds.size()], rng);
    dir.Write("fuzz.csv", text);
    CsvOptions options;
    options.ignore_errors = (iteration & 1) != 0;
    options.target_split_bytes = 1 + rng() % 64;
    options.max_line_size = 1 + rng() % 400;
    if (iteration % 5 == 0) options.escape = '\\';
    if (iteration % 7 == 0) options.header = false;
    ASSERT_NO_FATAL_FAILURE(ReadEverything(path, options)) << "input: " << text;
  }
}

}  // namespace
}  // namespace sluice
