// Avro data: every type round-trips through the binary encoding and container files in each
// codec; files written here are read by Debian's python3-avro with their field ids, and files
// it writes are read here; corrupt files fail with a clear error, never a crash.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "avro/avro_file.h"
#include "common/error.h"

namespace sluice::avro {
namespace {

SchemaPtr EverythingSchema() {
  auto color = std::make_shared<Schema>();
  color->type = AvroType::kEnum;
  color->name = "color";
  color->symbols = {"red", "green"};
  auto md5 = std::make_shared<Schema>();
  md5->type = AvroType::kFixed;
  md5->name = "md5";
  md5->fixed_size = 4;
  return Record("everything", {
      MakeField("b", Primitive(AvroType::kBoolean), 1),
      MakeField("i", Primitive(AvroType::kInt), 2),
      MakeField("l", Primitive(AvroType::kLong), 3),
      MakeField("f", Primitive(AvroType::kFloat), 4),
      MakeField("d", Primitive(AvroType::kDouble), 5),
      MakeField("s", Primitive(AvroType::kString), 6),
      MakeField("y", Primitive(AvroType::kBytes), 7),
      MakeField("e", color, 8),
      MakeField("x", md5, 9),
      MakeField("a", ArrayOf(Primitive(AvroType::kLong), {{"element-id", 11}}), 10),
      MakeField("m", MapOf(Primitive(AvroType::kString)), 12),
      MakeField("o", Optional(Primitive(AvroType::kLong)), 13),
  });
}

Value EverythingRow(int64_t n) {
  Items a;
  for (int64_t k = 0; k < n % 4; k++) a.emplace_back(n * 1000 + k);
  Entries m;
  if (n % 2 == 0) m.emplace_back("k" + std::to_string(n), Value(std::string("v")));
  return Value(Items{Value(n % 3 == 0), Value(static_cast<int32_t>(-n)), Value(n * 1'000'000'007LL),
                     Value(static_cast<float>(n) / 4), Value(static_cast<double>(n) / 3),
                     Value("row " + std::to_string(n)), Value(std::string("\x00\x01\xff", 3)),
                     Value(std::string(n % 2 ? "green" : "red")), Value(std::string("abcd")),
                     Value(std::move(a)), Value(std::move(m)),
                     n % 5 == 0 ? Value() : Value(n)});
}

std::string Show(const Value& v) {
  std::ostringstream out;
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out << "null";
        } else if constexpr (std::is_same_v<T, Items>) {
          out << "[";
          for (const auto& i : x) out << Show(i) << ",";
          out << "]";
        } else if constexpr (std::is_same_v<T, Entries>) {
          out << "{";
          for (const auto& [k, i] : x) out << k << ":" << Show(i) << ",";
          out << "}";
        } else {
          out << x;
        }
      },
      v.v);
  return out.str();
}

TEST(AvroFileTest, EveryTypeRoundTripsInEveryCodec) {
  for (Codec codec : {Codec::kNull, Codec::kDeflate, Codec::kSnappy, Codec::kZstd}) {
    FileWriter writer(EverythingSchema(), codec, {{"iceberg.schema", "{}"}});
    const int rows = 5000;  // several blocks
    for (int n = 0; n < rows; n++) writer.Append(EverythingRow(n));
    FileReader reader(writer.Finish(), "mem");
    EXPECT_EQ(reader.codec(), codec);
    EXPECT_EQ(reader.metadata("iceberg.schema"), "{}");
    EXPECT_EQ(reader.schema().fields[9].type->IntAttribute("element-id"), 11);
    Value v;
    int n = 0;
    while (reader.Next(&v)) {
      ASSERT_EQ(Show(v), Show(EverythingRow(n))) << CodecName(codec) << " row " << n;
      n++;
    }
    EXPECT_EQ(n, rows) << CodecName(codec);
  }
}

TEST(AvroFileTest, SameRecordsGiveTheSameBytes) {
  auto write = [] {
    FileWriter w(EverythingSchema(), Codec::kDeflate);
    for (int n = 0; n < 100; n++) w.Append(EverythingRow(n));
    return w.Finish();
  };
  EXPECT_EQ(write(), write());
}

TEST(AvroFileTest, AValueThatDoesNotFitIsRefused) {
  FileWriter writer(EverythingSchema(), Codec::kNull);
  Value row = EverythingRow(1);
  row.items()[1] = Value(std::string("not an int"));
  EXPECT_THROW(writer.Append(row), InvalidInputError);
  row = EverythingRow(1);
  row.items()[7] = Value(std::string("blue"));
  EXPECT_THROW(writer.Append(row), InvalidInputError);
  EXPECT_EQ(writer.records(), 0);
}

TEST(AvroFileTest, CorruptFilesFailCleanly) {
  FileWriter writer(EverythingSchema(), Codec::kDeflate);
  for (int n = 0; n < 300; n++) writer.Append(EverythingRow(n));
  const std::string good = writer.Finish();
  std::mt19937 rng(7);
  int errors = 0;
  for (int trial = 0; trial < 3000; trial++) {
    std::string bad = good;
    if (trial % 3 == 0) {
      bad.resize(rng() % bad.size());
    } else {
      for (int k = 0; k < 1 + trial % 4; k++) bad[rng() % bad.size()] = static_cast<char>(rng());
    }
    try {
      FileReader reader(bad, "bad.avro");
      Value v;
      while (reader.Next(&v)) {
      }
    } catch (const InvalidInputError& e) {
      errors++;
      EXPECT_NE(std::string(e.what()).find("bad.avro"), std::string::npos) << e.what();
    }
  }
  EXPECT_GT(errors, 1000);
}

// python3-avro (Debian) as the independent reader and writer.
std::string RunPython(const std::string& script, const std::string& arg) {
  const std::string cmd = "/usr/bin/python3 " + std::string(SLUICE_AVRO_TEST_DIR) + "/" + script + " " + arg + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  EXPECT_EQ(rc, 0) << cmd << "\n" << out << "\n(python3-avro comes with `make deps`)";
  return out;
}

std::filesystem::path TempFile(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / ("sluice-avro-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

TEST(AvroFileTest, PythonAvroReadsOurFilesWithTheirFieldIds) {
  for (Codec codec : {Codec::kNull, Codec::kDeflate, Codec::kSnappy}) {
    FileWriter writer(EverythingSchema(), codec);
    for (int n = 0; n < 50; n++) writer.Append(EverythingRow(n));
    const auto path = TempFile(std::string("ours-") + CodecName(codec) + ".avro");
    std::ofstream(path, std::ios::binary) << writer.Finish();
    const std::string out = RunPython("python_avro.py", "read " + path.string());
    EXPECT_NE(out.find("records 50"), std::string::npos) << out;
    EXPECT_NE(out.find("field-ids 1,2,3,4,5,6,7,8,9,10,12,13"), std::string::npos) << out;
    EXPECT_NE(out.find("element-id 11"), std::string::npos) << out;
    EXPECT_NE(out.find("row7 False -7 7000000049 1.75 row 7 green [7000, 7001, 7002] {} 7"), std::string::npos) << out;
  }
}

TEST(AvroFileTest, WeReadWhatPythonAvroWrites) {
  const auto path = TempFile("theirs.avro");
  RunPython("python_avro.py", "write " + path.string());
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  FileReader reader(data, path.string());
  EXPECT_EQ(reader.codec(), Codec::kDeflate);
  EXPECT_EQ(reader.schema().fields[0].IntAttribute("field-id"), 100);
  Value v;
  int n = 0;
  while (reader.Next(&v)) {
    EXPECT_EQ(v.items()[0].str(), "s3://bucket/file-" + std::to_string(n) + ".parquet");
    EXPECT_EQ(v.items()[1].int64(), n * 10);
    EXPECT_EQ(v.items()[2].is_null(), n % 2 == 0);
    n++;
  }
  EXPECT_EQ(n, 1000);
  std::filesystem::remove_all(path.parent_path());
}

}  // namespace
}  // namespace sluice::avro
