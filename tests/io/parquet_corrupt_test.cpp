// Corrupt Parquet files give a clear IOError naming the file (and the column, for page
// damage); random mutations of valid files only ever throw UserErrors.
#include <gtest/gtest.h>

#include <random>

#include "csv_test_util.h"
#include "io/parquet_metadata.h"
#include "io/parquet_reader.h"
#include "io/parquet_writer.h"
#include "parquet_test_util.h"

namespace sluice {
namespace {

using testing::ErrorOf;
using testing::ReadAllRows;
using testing::TempDir;

// A small file: an INTEGER column "a" (no NULLs), a VARCHAR column "b" with NULLs.
std::string SmallFile(const TempDir& dir, const std::string& name, ParquetWriteOptions options) {
  Schema schema({Field{"a", TypeId::kInteger, true, ""}, Field{"b", TypeId::kVarchar, true, ""}});
  const std::string path = dir.path() + "/" + name;
  ParquetWriter writer(path, schema, options);
  for (int start = 0; start < 3000; start += 1000) {
    auto a = Column::Make(TypeId::kInteger, 1000);
    auto b = Column::Make(TypeId::kVarchar, 1000);
    for (int i = 0; i < 1000; i++) {
      a->data<int32_t>()[i] = start + i;
      if (i % 3 == 0) {
        b->SetNull(i);
      } else {
        b->data<StringView>()[i] = b->AddString("value number " + std::to_string((start + i) % 37));
      }
    }
    a->set_size(1000);
    b->set_size(1000);
    writer.Write(Batch({a, b}, 1000));
  }
  writer.Close();
  return path;
}

TEST(ParquetCorruptTest, BadMagicTooSmallAndTruncated) {
  TempDir dir;
  const std::string good = testing::ReadFile(SmallFile(dir, "good.parquet", {}));
  const std::string small = dir.Write("small.parquet", "PAR1PAR1");
  EXPECT_EQ(ErrorOf(small),
            "IO Error: Parquet file '" + small + "': file is too small (8 bytes) to be Parquet");
  const std::string csv = dir.Write("x.parquet", "a,b\n1,2\n3,4\n5,6\n7,8\n");
  EXPECT_EQ(ErrorOf(csv), "IO Error: Parquet file '" + csv + "': not a Parquet file (bad magic bytes)");
  const std::string cut = dir.Write("cut.parquet", good.substr(0, good.size() / 2));
  EXPECT_EQ(ErrorOf(cut), "IO Error: Parquet file '" + cut + "': not a Parquet file (bad magic bytes)");
  std::string long_footer = good;
  const uint32_t huge = 1u << 30;
  std::memcpy(long_footer.data() + long_footer.size() - 8, &huge, 4);
  const std::string lf = dir.Write("lf.parquet", long_footer);
  EXPECT_EQ(ErrorOf(lf), fmt::format("IO Error: Parquet file '{}': footer length {} does not fit the "
                                     "file ({} bytes); is it truncated?",
                                     lf, huge, good.size()));
  std::string bad_footer = good;
  uint32_t footer_len;
  std::memcpy(&footer_len, good.data() + good.size() - 8, 4);
  std::memset(bad_footer.data() + good.size() - 8 - footer_len, 0xff, 8);
  const std::string bf = dir.Write("bf.parquet", bad_footer);
  EXPECT_EQ(ErrorOf(bf).rfind("IO Error: Parquet file '" + bf + "': corrupt footer (", 0), 0u) << ErrorOf(bf);
}

TEST(ParquetCorruptTest, PageDamageNamesFileAndColumn) {
  TempDir dir;
  ParquetWriteOptions options;
  options.codec = parquet::Codec::kUncompressed;
  options.dictionary = false;
  const std::string path = SmallFile(dir, "good.parquet", options);
  const std::string good = testing::ReadFile(path);
  auto source = ParquetSource::Open(path);
  // The first page of column "a" starts right after the magic bytes.
  parquet::PageHeader header;
  const size_t header_len = parquet::ParsePageHeader(
      reinterpret_cast<const uint8_t*>(good.data()) + 4, good.size() - 4, &header);

  auto with_header = [&](const std::string& name, const parquet::PageHeader& h) {
    std::string bytes;
    parquet::SerializePageHeader(h, &bytes);
    EXPECT_EQ(bytes.size(), header_len);
    std::string file = good;
    file.replace(4, header_len, bytes);
    return dir.Write(name, file);
  };
  const std::string where = "IO Error: Parquet file '" + dir.path() + "/{}' column 'a': {}";

  parquet::PageHeader unknown = header;
  unknown.data_page->encoding = static_cast<parquet::Encoding>(42);
  EXPECT_EQ(ErrorOf(with_header("enc.parquet", unknown)),
            fmt::format(fmt::runtime(where), "enc.parquet", "unsupported encoding unknown (42)"));

  parquet::PageHeader too_long = header;
  too_long.compressed_page_size = too_long.uncompressed_page_size = 60000;
  EXPECT_EQ(ErrorOf(with_header("len.parquet", too_long)),
            fmt::format(fmt::runtime(where), "len.parquet",
                        "page sizes out of range (compressed 60000, uncompressed 60000)"));

  parquet::PageHeader too_many = header;
  too_many.data_page->num_values = 5000;
  EXPECT_EQ(ErrorOf(with_header("rows.parquet", too_many)),
            fmt::format(fmt::runtime(where), "rows.parquet",
                        "page holds 5000 values but only 3000 rows are left"));

  std::string garbage = good;
  std::memset(garbage.data() + 4, 0xff, 6);
  const std::string g = dir.Write("garbage.parquet", garbage);
  EXPECT_EQ(ErrorOf(g).rfind(fmt::format(fmt::runtime(where), "garbage.parquet", "corrupt page header ("), 0), 0u)
      << ErrorOf(g);
}

TEST(ParquetCorruptTest, CorruptCompressedPage) {
  TempDir dir;
  ParquetWriteOptions options;
  options.codec = parquet::Codec::kZstd;
  const std::string path = SmallFile(dir, "z.parquet", options);
  std::string bytes = testing::ReadFile(path);
  parquet::PageHeader header;
  const size_t header_len = parquet::ParsePageHeader(
      reinterpret_cast<const uint8_t*>(bytes.data()) + 4, bytes.size() - 4, &header);
  std::memset(bytes.data() + 4 + header_len, 0, 8);  // the zstd frame's magic
  const std::string bad = dir.Write("bad.parquet", bytes);
  EXPECT_EQ(ErrorOf(bad), "IO Error: Parquet file '" + bad +
                              "' column 'a': ZSTD page does not decompress to its stated " +
                              std::to_string(header.uncompressed_page_size) + " bytes");
}

// Random byte flips, overwrites, truncations and insertions of valid files (each codec,
// dictionary on and off) through the reader: only UserErrors may come out.
TEST(ParquetCorruptTest, RandomMutationsOnlyThrowUserErrors) {
  TempDir dir;
  std::vector<std::string> originals;
  for (const char* codec : {"uncompressed", "snappy", "zstd", "gzip", "lz4"}) {
    for (const bool dictionary : {true, false}) {
      ParquetWriteOptions options;
      options.codec = ParseParquetCodec(codec);
      options.dictionary = dictionary;
      options.row_group_rows = 1500;
      options.page_bytes = 2000;
      originals.push_back(testing::ReadFile(
          SmallFile(dir, std::string(codec) + (dictionary ? "_d" : "_p") + ".parquet", options)));
    }
  }
  std::mt19937_64 rng(20240611);
  const std::string path = dir.path() + "/mutant.parquet";
  int errors = 0, successes = 0;
  for (int iteration = 0; iteration < 3000; iteration++) {
    std::string bytes = originals[iteration % originals.size()];
    const int mutations = 1 + static_cast<int>(rng() % 4);
    for (int m = 0; m < mutations; m++) {
      const size_t at = rng() % bytes.size();
      switch (rng() % 5) {
        case 0: bytes[at] = static_cast<char>(bytes[at] ^ (1 << (rng() % 8))); break;
        case 1: bytes[at] = static_cast<char>(rng()); break;
        case 2: bytes.resize(std::max<size_t>(at, 1)); break;
        case 3: bytes.insert(at, 1 + rng() % 8, static_cast<char>(rng())); break;
        default: {  // damage near the footer, where the metadata lives
          const size_t back = 8 + rng() % std::min<size_t>(bytes.size(), 400);
          if (back < bytes.size()) bytes[bytes.size() - back] = static_cast<char>(rng());
        }
      }
    }
    dir.Write("mutant.parquet", bytes);
    try {
      ReadAllRows(*ParquetSource::Open(path));
      successes++;
    } catch (const UserError&) {
      errors++;
    } catch (const std::exception& e) {
      FAIL() << "iteration " << iteration << ": not a UserError: " << e.what();
    }
  }
  EXPECT_GT(errors, 1000);
  EXPECT_GT(successes, 10);  // flips inside values still read
}

}  // namespace
}  // namespace sluice
