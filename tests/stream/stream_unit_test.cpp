// Units of the stream module that SQL cannot reach: record decoding, the files source's
// offsets, durations, window ends, checkpoint round trips.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/session.h"
#include "api/sql_runner.h"
#include "plan/window_tvf.h"
#include "stream/checkpoint_store.h"
#include "stream/file_stream_source.h"
#include "stream/record_decoder.h"
#include "stream/stream_job.h"
#include "vector/value_rows.h"

namespace sluice::stream {
namespace {

namespace fs = std::filesystem;

Schema BidSchema() {
  Schema s;
  s.Add(Field{"auction", LogicalType(TypeId::kBigInt), true, ""});
  s.Add(Field{"name", LogicalType(TypeId::kVarchar), true, ""});
  s.Add(Field{"ts", LogicalType(TypeId::kTimestamp), true, ""});
  return s;
}

TEST(RecordDecoderTest, JsonFieldsByNameMissingIsNullEpochMillis) {
  const RecordDecoder decoder(BidSchema(), "json");
  std::vector<Value> row;
  std::string error;
  ASSERT_TRUE(decoder.Decode(R"({"ts": 1000, "auction": "7", "extra": 1})", row, error)) << error;
  EXPECT_EQ(row[0], Value::BigInt(7));
  EXPECT_TRUE(row[1].is_null());
  EXPECT_EQ(row[2], Value::Timestamp(1000000));
  ASSERT_TRUE(decoder.Decode(R"({"TS": "2024-01-01 00:00:01.5"})", row, error)) << error;
  EXPECT_EQ(row[2].ToString(), "2024-01-01 00:00:01.5");  // names match ignoring case
  ASSERT_TRUE(decoder.Decode(R"({"Name": "folded", "name": "exact"})", row, error)) << error;
  EXPECT_EQ(row[1], Value::Varchar("exact"));
}

TEST(RecordDecoderTest, BadRecordsSayWhy) {
  const RecordDecoder decoder(BidSchema(), "json");
  std::vector<Value> row;
  std::string error;
  EXPECT_FALSE(decoder.Decode("{not json", row, error));
  EXPECT_NE(error.find("not JSON"), std::string::npos) << error;
  EXPECT_FALSE(decoder.Decode("[1, 2]", row, error));
  EXPECT_EQ(error, "not a JSON object");
  EXPECT_FALSE(decoder.Decode(R"({"auction": "seven"})", row, error));
  EXPECT_NE(error.find("column auction"), std::string::npos) << error;
}

TEST(RecordDecoderTest, CsvQuotingAndEmptyIsNull) {
  const RecordDecoder decoder(BidSchema(), "csv");
  std::vector<Value> row;
  std::string error;
  ASSERT_TRUE(decoder.Decode(R"(3,"a, ""b""",2024-01-01 00:00:02)", row, error)) << error;
  EXPECT_EQ(row[0], Value::BigInt(3));
  EXPECT_EQ(row[1], Value::Varchar(R"(a, "b")"));
  ASSERT_TRUE(decoder.Decode(R"(,"",2024-01-01)", row, error)) << error;
  EXPECT_TRUE(row[0].is_null());
  EXPECT_EQ(row[1], Value::Varchar(""));
  EXPECT_FALSE(decoder.Decode("1,2", row, error));
  EXPECT_EQ(error, "2 fields, expected 3");
}

TEST(FileStreamSourceTest, ReadsCompleteLinesAndResumesFromOffsets) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_files_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "a.jsonl") << "one\ntwo\npart";
  std::ofstream(dir / "_hidden") << "skipped\n";
  FileStreamSource source(dir.string(), "json");
  SourceOffsets offsets;
  std::vector<RawRecord> records;
  source.Poll(offsets, 100, records);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].payload, "two");
  EXPECT_EQ(records[1].offset, "4");
  EXPECT_EQ(offsets.at("a.jsonl"), "8");
  // The line being written completes; a new file appears.
  std::ofstream(dir / "a.jsonl", std::ios::app) << "ial\n";
  std::ofstream(dir / "b.jsonl") << "three\n";
  records.clear();
  source.Poll(offsets, 100, records);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].payload, "partial");
  EXPECT_EQ(records[1].partition, "b.jsonl");
  // Replaying from saved offsets returns the same records.
  SourceOffsets saved = {{"a.jsonl", "4"}};
  records.clear();
  source.Poll(saved, 1, records);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].payload, "two");
  fs::remove_all(dir);
}

TEST(FileStreamSourceTest, ParquetSegmentsReadOnceCompleteRowByRow) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_segments_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Session session;
  RunSqlScript(session, "COPY (SELECT range AS auction, 'n' || CAST(range AS VARCHAR) AS name, "
                        "TIMESTAMP '2024-01-01' + INTERVAL (range) SECOND AS ts FROM range(5)) "
                        "TO '" + (dir / "_seg1").string() + "' (FORMAT parquet)");
  // A segment still being written (no footer yet) waits.
  std::string bytes;
  {
    std::ifstream in(dir / "_seg1", std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(dir / "seg1.parquet", std::ios::binary) << bytes.substr(0, bytes.size() - 4);
  FileStreamSource source(dir.string(), "parquet");
  SourceOffsets offsets;
  std::vector<RawRecord> records;
  source.Poll(offsets, 100, records);
  EXPECT_TRUE(records.empty());
  EXPECT_EQ(offsets.at("seg1.parquet"), "0");
  fs::rename(dir / "_seg1", dir / "seg1.parquet");
  source.Poll(offsets, 3, records);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].offset, "2");
  EXPECT_EQ(offsets.at("seg1.parquet"), "3");
  const RecordDecoder decoder(BidSchema(), "parquet");
  std::vector<Value> row;
  std::string error;
  ASSERT_TRUE(decoder.Decode(records[1].payload, row, error)) << error;
  EXPECT_EQ(row[0], Value::BigInt(1));
  EXPECT_EQ(row[1], Value::Varchar("n1"));
  EXPECT_EQ(row[2].GetInt(), Value::Timestamp(1704067201000000).GetInt());
  records.clear();
  source.Poll(offsets, 100, records);  // the rest, from the saved offset
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].offset, "3");
  EXPECT_EQ(offsets.at("seg1.parquet"), "5");
  records.clear();
  source.Poll(offsets, 100, records);
  EXPECT_TRUE(records.empty());
  EXPECT_THROW(FileStreamSource(dir.string(), "avro"), InvalidInputError);
  fs::remove_all(dir);
}

TEST(StreamDurationTest, Units) {
  EXPECT_EQ(ParseDurationMs("10s"), 10000);
  EXPECT_EQ(ParseDurationMs("500ms"), 500);
  EXPECT_EQ(ParseDurationMs("2min"), 120000);
  EXPECT_EQ(ParseDurationMs("1 h"), 3600000);
  EXPECT_EQ(ParseDurationMs("250"), 250);
  EXPECT_EQ(ParseDurationMs("5 days"), 5 * 86400000LL);
  EXPECT_THROW(ParseDurationMs("soon"), InvalidInputError);
  EXPECT_THROW(ParseDurationMs("5 fortnights"), InvalidInputError);
  EXPECT_THROW(ParseDurationMs("-1s"), InvalidInputError);
}

TEST(WindowTvfTest, LastWindowEnd) {
  WindowTvf tumble;
  tumble.size = 10;
  EXPECT_EQ(tumble.LastWindowEnd(0), 10);
  EXPECT_EQ(tumble.LastWindowEnd(9), 10);
  EXPECT_EQ(tumble.LastWindowEnd(-1), 0);
  tumble.offset = 2;
  EXPECT_EQ(tumble.LastWindowEnd(1), 2);
  WindowTvf hop;
  hop.kind = WindowTvf::Kind::kHop;
  hop.step = 5;
  hop.size = 10;
  EXPECT_EQ(hop.LastWindowEnd(7), 15);  // windows [0, 10) and [5, 15)
  WindowTvf cumulate;
  cumulate.kind = WindowTvf::Kind::kCumulate;
  cumulate.step = 5;
  cumulate.size = 15;
  EXPECT_EQ(cumulate.LastWindowEnd(1), 15);
}

TEST(CheckpointStoreTest, RoundTripKeepsOnlyTheLatest) {
  const fs::path dir = fs::temp_directory_path() / ("sluice_stream_cp_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  CheckpointStore store(dir.string());
  EXPECT_FALSE(store.Load().has_value());
  Checkpoint cp;
  cp.id = 3;
  cp.offsets = {{"p0", "17"}};
  cp.max_event_time = {{"p0", 123}};
  cp.fired_watermark = 100;
  cp.watermark = 110;
  Schema one;
  one.Add(Field{"n", LogicalType(TypeId::kBigInt), true, ""});
  cp.buffer = BatchesFromRows(BidSchema(), {{Value::BigInt(1), Value::Varchar("x"), Value::Timestamp(5)}});
  cp.pending["sink"] = BatchesFromRows(one, {{Value::BigInt(2)}});
  store.Save(cp, {{"", BidSchema()}, {"sink", one}});
  cp.id = 4;
  store.Save(cp, {{"", BidSchema()}, {"sink", one}});
  EXPECT_FALSE(fs::exists(dir / "cp-3"));
  const std::optional<Checkpoint> loaded = store.Load();
  ASSERT_TRUE(loaded.has_value());
  EXPECT_EQ(loaded->id, 4);
  EXPECT_EQ(loaded->offsets, cp.offsets);
  EXPECT_EQ(loaded->max_event_time, cp.max_event_time);
  EXPECT_EQ(loaded->fired_watermark, 100);
  EXPECT_EQ(loaded->watermark, 110);
  ASSERT_EQ(loaded->buffer.size(), 1u);
  ASSERT_EQ(loaded->buffer[0].num_rows(), 1u);
  EXPECT_EQ(loaded->buffer[0].column(1)->GetValue(0), Value::Varchar("x"));
  EXPECT_EQ(loaded->buffer[0].column(2)->GetValue(0), Value::Timestamp(5));
  EXPECT_EQ(loaded->pending.at("sink")[0].column(0)->GetValue(0), Value::BigInt(2));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sluice::stream
