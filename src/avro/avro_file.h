#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "avro/avro_binary.h"
#include "avro/avro_schema.h"
#include "avro/avro_value.h"

namespace sluice::avro {

// The block codecs of object container files: "null", "deflate" (raw RFC 1951), "snappy"
// (each block followed by the CRC-32 of its uncompressed bytes, big-endian), "zstandard".
enum class Codec { kNull, kDeflate, kSnappy, kZstd };
const char* CodecName(Codec codec);

// Writes an Avro object container file into memory: the header (magic, metadata with
// avro.schema and avro.codec, a sync marker), then blocks of records. Not thread-safe.
class FileWriter {
 public:
  // `metadata` entries are added to the header (Iceberg puts its schema and partition spec
  // there). `sync` is the 16-byte marker; the default derives it from the schema so that
  // the same records always give the same bytes.
  FileWriter(SchemaPtr schema, Codec codec, std::map<std::string, std::string> metadata = {},
             std::string sync = "");

  // REQUIRES: `record` fits the schema (Encode throws otherwise, and nothing is appended).
  void Append(const Value& record);
  // The whole file. REQUIRES: called once, after the last Append.
  std::string Finish();
  int64_t records() const { return records_; }

  // Records are gathered into blocks of about this many encoded bytes.
  static constexpr size_t kBlockBytes = 64 * 1024;

 private:
  void FlushBlock();

  SchemaPtr schema_;
  Codec codec_;
  std::string sync_;
  std::string out_;
  std::string block_;
  int64_t block_records_ = 0;
  int64_t records_ = 0;
};

// Reads an Avro object container file held in memory. Throws InvalidInputError naming
// `where` and the byte offset on anything malformed (bad magic, a wrong sync marker, a
// block that does not decode); never reads outside the buffer.
class FileReader {
 public:
  FileReader(std::string data, std::string where);

  const Schema& schema() const { return *schema_; }
  SchemaPtr schema_ptr() const { return schema_; }
  // A metadata entry of the header, or "" when absent.
  std::string metadata(const std::string& key) const;
  const std::map<std::string, std::string>& all_metadata() const { return metadata_; }
  Codec codec() const { return codec_; }

  // The next record (decoded with the file's own schema); false at the end.
  bool Next(Value* record);

 private:
  bool LoadBlock();

  std::string data_;
  std::string where_;
  SchemaPtr schema_;
  Codec codec_ = Codec::kNull;
  std::map<std::string, std::string> metadata_;
  std::string sync_;
  size_t pos_ = 0;           // next block's offset in data_
  std::string block_;        // the current block, decompressed
  size_t block_offset_ = 0;  // its offset in the file, for errors
  int64_t block_left_ = 0;   // records left in it
  std::unique_ptr<Decoder> decoder_;
};

}  // namespace sluice::avro
