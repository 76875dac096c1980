// Nested Parquet columns read as LIST, STRUCT and MAP values, on files built
// here level by level: the layouts
// DuckDB does not write (legacy two-level lists, bare repeated fields, MAP_KEY_VALUE), and
// malformed levels, which must fail with an IOError naming the column; also INT32
// TIME(MILLIS), which DuckDB does not write either. DuckDB-written files are covered by
// tests/io/parquet_interop.sh.
#include <gtest/gtest.h>

#include <cstring>

#include "common/error.h"
#include "csv_test_util.h"
#include "io/parquet_metadata.h"
#include "io/parquet_reader.h"
#include "parquet_test_util.h"

namespace sluice {
namespace {

using parquet::ConvertedType;
using parquet::Repetition;
using parquet::SchemaElement;
using testing::ErrorOf;
using testing::ReadAllRows;
using testing::TempDir;

SchemaElement Group(std::string name, Repetition repetition, int children,
                    ConvertedType converted = ConvertedType::kNone) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition = repetition;
  e.num_children = children;
  e.converted_type = converted;
  return e;
}

SchemaElement Int(std::string name, Repetition repetition) {
  SchemaElement e;
  e.name = std::move(name);
  e.repetition = repetition;
  e.type = parquet::Type::kInt32;
  return e;
}

// One leaf's column chunk: its levels and the INT32 values of the entries that have one.
struct LeafData {
  std::vector<uint8_t> reps;
  std::vector<uint8_t> defs;
  std::vector<int32_t> values;
  bool required = false;  // a required top-level leaf stores no definition levels
};

// Levels as RLE runs of one value each (valid for bit widths up to 8), length-prefixed.
void AppendLevels(const std::vector<uint8_t>& levels, std::string* out) {
  std::string runs;
  for (const uint8_t level : levels) {
    runs.push_back(2);  // a run of one value
    runs.push_back(static_cast<char>(level));
  }
  const auto len = static_cast<uint32_t>(runs.size());
  out->append(reinterpret_cast<const char*>(&len), 4);
  out->append(runs);
}

// Writes a one-row-group file of `rows` rows: schema root first, one uncompressed v1 data
// page per leaf.
std::string BuildFile(const TempDir& dir, const std::string& name,
                      std::vector<SchemaElement> elements, const std::vector<LeafData>& leaves,
                      int64_t rows) {
  std::string file = "PAR1";
  parquet::FileMetaData meta;
  meta.num_rows = rows;
  meta.schema.push_back(Group("schema", Repetition::kRequired, 0));
  meta.schema[0].num_children = elements[0].num_children;
  elements.erase(elements.begin());
  for (auto& e : elements) meta.schema.push_back(e);
  parquet::RowGroup group;
  group.num_rows = rows;
  for (const LeafData& leaf : leaves) {
    std::string body;
    if (!leaf.reps.empty()) AppendLevels(leaf.reps, &body);
    if (!leaf.required) AppendLevels(leaf.defs, &body);
    body.append(reinterpret_cast<const char*>(leaf.values.data()), leaf.values.size() * 4);
    parquet::PageHeader header;
    header.uncompressed_page_size = static_cast<int32_t>(body.size());
    header.compressed_page_size = static_cast<int32_t>(body.size());
    header.data_page = parquet::DataPageHeader{};
    header.data_page->num_values = static_cast<int32_t>(leaf.defs.size());
    std::string page;
    parquet::SerializePageHeader(header, &page);
    parquet::ColumnChunk chunk;
    chunk.meta_data = parquet::ColumnMetaData{};
    chunk.meta_data->type = parquet::Type::kInt32;
    chunk.meta_data->encodings = {parquet::Encoding::kPlain, parquet::Encoding::kRle};
    chunk.meta_data->path_in_schema = {"x"};
    chunk.meta_data->num_values = static_cast<int64_t>(leaf.defs.size());
    chunk.meta_data->data_page_offset = static_cast<int64_t>(file.size());
    chunk.meta_data->total_compressed_size = static_cast<int64_t>(page.size() + body.size());
    chunk.meta_data->total_uncompressed_size = chunk.meta_data->total_compressed_size;
    chunk.file_offset = chunk.meta_data->data_page_offset;
    file += page + body;
    group.columns.push_back(std::move(chunk));
  }
  meta.row_groups.push_back(std::move(group));
  std::string footer;
  parquet::SerializeFileMetaData(meta, &footer);
  const auto len = static_cast<uint32_t>(footer.size());
  file += footer;
  file.append(reinterpret_cast<const char*>(&len), 4);
  file += "PAR1";
  return dir.Write(name, file);
}

std::vector<std::string> Texts(const std::string& path, int column) {
  std::vector<std::string> out;
  for (const auto& row : ReadAllRows(*ParquetSource::Open(path), {column})) {
    out.push_back(row[0].ToString());
  }
  return out;
}

// optional group l (LIST) { repeated int32 array; }: the legacy two-level list. Rows: NULL,
// [], [1, 2], [3].
std::vector<SchemaElement> TwoLevelList() {
  return {Group("schema", Repetition::kRequired, 1),
          Group("l", Repetition::kOptional, 1, ConvertedType::kList),
          Int("array", Repetition::kRepeated)};
}
LeafData TwoLevelRows() { return {{0, 0, 0, 1, 0}, {0, 1, 2, 2, 2}, {1, 2, 3}}; }

// optional int32 t (TIME_MILLIS, and the TIME logical type in MILLIS): rows 12:30:00.250,
// NULL, 00:00:00, 24:00:00 read as TIME in micros.
TEST(ParquetNestedTest, Int32TimeMillisIsTime) {
  TempDir dir;
  SchemaElement t = Int("t", Repetition::kOptional);
  t.converted_type = ConvertedType::kTimeMillis;
  t.logical_type.kind = parquet::LogicalTypeInfo::kTime;
  t.logical_type.unit = parquet::TimeUnit::kMillis;
  const LeafData leaf = {{}, {1, 0, 1, 1}, {45000250, 0, 86400000}};
  const std::string path =
      BuildFile(dir, "t.parquet", {Group("schema", Repetition::kRequired, 1), t}, {leaf}, 4);
  auto source = ParquetSource::Open(path);
  EXPECT_EQ(source->schema().ToString(), "(t TIME)");
  EXPECT_EQ(Texts(path, 0),
            (std::vector<std::string>{"12:30:00.25", "NULL", "00:00:00", "24:00:00"}));
}

TEST(ParquetNestedTest, LegacyTwoLevelList) {
  TempDir dir;
  const std::string path = BuildFile(dir, "l.parquet", TwoLevelList(), {TwoLevelRows()}, 4);
  auto source = ParquetSource::Open(path);
  EXPECT_EQ(source->schema().ToString(), "(l INTEGER[])");
  EXPECT_EQ(Texts(path, 0), (std::vector<std::string>{"NULL", "[]", "[1, 2]", "[3]"}));
}

TEST(ParquetNestedTest, BareRepeatedFieldAndStructOfLists) {
  TempDir dir;
  // required int32 id; repeated int32 tags; optional group s { repeated group pairs
  // { required int32 a; optional int32 b; } }
  std::vector<SchemaElement> schema = {Group("schema", Repetition::kRequired, 3),
                                       Int("id", Repetition::kRequired),
                                       Int("tags", Repetition::kRepeated),
                                       Group("s", Repetition::kOptional, 1),
                                       Group("pairs", Repetition::kRepeated, 2),
                                       Int("a", Repetition::kRequired),
                                       Int("b", Repetition::kOptional)};
  // Rows: {id 1, tags [7, 8], s {pairs: [{a 1, b NULL}, {a 2, b 3}]}},
  //       {id 2, tags [], s NULL}, {id 3, tags [9], s {pairs: []}}.
  const std::vector<LeafData> leaves = {{{}, {0, 0, 0}, {1, 2, 3}, true},
                                        {{0, 1, 0, 0}, {1, 1, 0, 1}, {7, 8, 9}},
                                        {{0, 1, 0, 0}, {2, 2, 0, 1}, {1, 2}},
                                        {{0, 1, 0, 0}, {2, 3, 0, 1}, {3}}};
  const std::string path = BuildFile(dir, "s.parquet", schema, leaves, 3);
  auto source = ParquetSource::Open(path);
  EXPECT_EQ(source->schema().ToString(),
            "(id INTEGER, tags INTEGER[], s STRUCT(pairs STRUCT(a INTEGER, b INTEGER)[]))");
  EXPECT_EQ(Texts(path, 1), (std::vector<std::string>{"[7, 8]", "[]", "[9]"}));
  EXPECT_EQ(Texts(path, 2),
            (std::vector<std::string>{"{'pairs': [{'a': 1, 'b': NULL}, {'a': 2, 'b': 3}]}",
                                      "NULL", "{'pairs': []}"}));
  // Projection: reading only `id` never touches the nested leaves.
  EXPECT_EQ(Texts(path, 0), (std::vector<std::string>{"1", "2", "3"}));
}

TEST(ParquetNestedTest, LegacyMapKeyValueWithIntegerKeys) {
  TempDir dir;
  // optional group m (MAP) { repeated group map (MAP_KEY_VALUE) { required int32 key;
  // optional int32 value; } }. Rows: {1: 10, 2: NULL}, NULL, {}.
  std::vector<SchemaElement> schema = {
      Group("schema", Repetition::kRequired, 1),
      Group("m", Repetition::kOptional, 1, ConvertedType::kMap),
      Group("map", Repetition::kRepeated, 2, ConvertedType::kMapKeyValue),
      Int("key", Repetition::kRequired), Int("value", Repetition::kOptional)};
  const std::vector<LeafData> leaves = {{{0, 1, 0, 0}, {2, 2, 0, 1}, {1, 2}},
                                        {{0, 1, 0, 0}, {3, 2, 0, 1}, {10}}};
  const std::string path = BuildFile(dir, "m.parquet", schema, leaves, 3);
  EXPECT_EQ(Texts(path, 0), (std::vector<std::string>{"{1=10, 2=NULL}", "NULL", "{}"}));
  EXPECT_EQ(ParquetSource::Open(path)->schema().field(0).type.ToString(), "MAP(INTEGER, INTEGER)");
}

TEST(ParquetNestedTest, ProjectionDoesNotDecodeNestedColumns) {
  TempDir dir;
  std::vector<SchemaElement> schema = TwoLevelList();
  schema[0].num_children = 2;
  schema.insert(schema.begin() + 1, Int("id", Repetition::kRequired));
  LeafData corrupt = TwoLevelRows();
  corrupt.reps[0] = 1;  // decoding the list fails
  const std::string path =
      BuildFile(dir, "p.parquet", schema, {{{}, {0, 0, 0, 0}, {1, 2, 3, 4}, true}, corrupt}, 4);
  EXPECT_EQ(Texts(path, 0), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_NE(ErrorOf(path).find("column 'l'"), std::string::npos) << ErrorOf(path);
}

TEST(ParquetNestedTest, MalformedLevelsFailNamingTheColumn) {
  TempDir dir;
  // The first entry continues a row that never started.
  LeafData bad_start = TwoLevelRows();
  bad_start.reps[0] = 1;
  const std::string a = BuildFile(dir, "a.parquet", TwoLevelList(), {bad_start}, 4);
  EXPECT_NE(ErrorOf(a).find("column 'l'"), std::string::npos) << ErrorOf(a);
  // Fewer rows in the levels than the row group claims.
  const std::string b = BuildFile(dir, "b.parquet", TwoLevelList(), {TwoLevelRows()}, 5);
  EXPECT_NE(ErrorOf(b).find("IO Error: Parquet file"), std::string::npos) << ErrorOf(b);
  // More rows in the levels than the row group claims.
  const std::string c = BuildFile(dir, "c.parquet", TwoLevelList(), {TwoLevelRows()}, 3);
  EXPECT_NE(ErrorOf(c).find("more levels than the row group has rows"), std::string::npos)
      << ErrorOf(c);
  // A repetition level above the maximum (and the bit width of the levels).
  LeafData bad_rep = TwoLevelRows();
  bad_rep.reps[3] = 2;
  const std::string d = BuildFile(dir, "d.parquet", TwoLevelList(), {bad_rep}, 4);
  EXPECT_NE(ErrorOf(d).find("column 'l.array'"), std::string::npos) << ErrorOf(d);
  // Two leaves of one struct that disagree on where rows start.
  std::vector<SchemaElement> schema = {
      Group("schema", Repetition::kRequired, 1), Group("s", Repetition::kOptional, 2),
      Int("x", Repetition::kRepeated), Int("y", Repetition::kRepeated)};
  const std::vector<LeafData> leaves = {{{0, 1, 0}, {2, 2, 2}, {1, 2, 3}},
                                        {{0, 0, 0}, {2, 2, 2}, {4, 5, 6}}};
  const std::string e = BuildFile(dir, "e.parquet", schema, leaves, 2);
  EXPECT_NE(ErrorOf(e).find("column 's'"), std::string::npos) << ErrorOf(e);
  // A LIST group without a repeated field is a malformed schema.
  std::vector<SchemaElement> no_repeated = {
      Group("schema", Repetition::kRequired, 1),
      Group("l", Repetition::kOptional, 1, ConvertedType::kList),
      Int("element", Repetition::kOptional)};
  const std::string f = BuildFile(dir, "f.parquet", no_repeated, {{{}, {0}, {}}}, 1);
  EXPECT_NE(ErrorOf(f).find("exactly one repeated field"), std::string::npos) << ErrorOf(f);
}

}  // namespace
}  // namespace sluice
