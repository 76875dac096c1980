#include "avro/avro_file.h"

#include <fmt/format.h>

#include "avro/avro_codec.h"
#include "common/error.h"
#include "common/hash.h"

namespace sluice::avro {

namespace {

constexpr char kMagic[4] = {'O', 'b', 'j', 1};
constexpr size_t kSyncSize = 16;
// A block decompresses to at most this (a corrupt header cannot make us allocate more).
constexpr size_t kMaxBlockBytes = size_t{1} << 30;

// The header's metadata map: string keys, bytes values.
const Schema& MetadataSchema() {
  static const SchemaPtr schema = MapOf(Primitive(AvroType::kBytes));
  return *schema;
}

Codec ParseCodec(const std::string& name, const std::string& where) {
  if (name.empty() || name == "null") return Codec::kNull;
  if (name == "deflate") return Codec::kDeflate;
  if (name == "snappy") return Codec::kSnappy;
  if (name == "zstandard") return Codec::kZstd;
  throw InvalidInputError(fmt::format("{}: Avro codec \"{}\" is not supported (null, deflate, snappy, zstandard)", where, name));
}

}  // namespace

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kNull: return "null";
    case Codec::kDeflate: return "deflate";
    case Codec::kSnappy: return "snappy";
    case Codec::kZstd: return "zstandard";
  }
  return "?";
}

FileWriter::FileWriter(SchemaPtr schema, Codec codec, std::map<std::string, std::string> metadata,
                       std::string sync)
    : schema_(std::move(schema)), codec_(codec), sync_(std::move(sync)) {
  const std::string schema_json = SchemaToJson(*schema_).dump();
  if (sync_.size() != kSyncSize) {
    sync_.clear();
    for (const std::string& text : {schema_json, schema_json + "\n"}) {
      const uint64_t h = HashBytes(text.data(), text.size());
      sync_.append(reinterpret_cast<const char*>(&h), sizeof(h));
    }
  }
  metadata["avro.schema"] = schema_json;
  metadata["avro.codec"] = CodecName(codec_);
  Entries entries;
  for (auto& [k, v] : metadata) entries.emplace_back(k, Value(v));
  out_.append(kMagic, sizeof(kMagic));
  Encode(MetadataSchema(), Value(std::move(entries)), &out_);
  out_.append(sync_);
}

void FileWriter::Append(const Value& record) {
  std::string encoded;
  Encode(*schema_, record, &encoded);
  block_.append(encoded);
  block_records_++;
  records_++;
  if (block_.size() >= kBlockBytes) FlushBlock();
}

void FileWriter::FlushBlock() {
  if (block_records_ == 0) return;
  const std::string data = CompressBlock(codec_, block_);
  EncodeLong(block_records_, &out_);
  EncodeLong(static_cast<int64_t>(data.size()), &out_);
  out_.append(data);
  out_.append(sync_);
  block_.clear();
  block_records_ = 0;
}

std::string FileWriter::Finish() {
  FlushBlock();
  return std::move(out_);
}

FileReader::FileReader(std::string data, std::string where) : data_(std::move(data)), where_(std::move(where)) {
  if (data_.size() < sizeof(kMagic) || data_.compare(0, sizeof(kMagic), kMagic, sizeof(kMagic)) != 0) {
    throw InvalidInputError(fmt::format("{}: not an Avro object container file (bad magic bytes)", where_));
  }
  Decoder header(reinterpret_cast<const uint8_t*>(data_.data()) + sizeof(kMagic), data_.size() - sizeof(kMagic),
                 where_, sizeof(kMagic));
  const Value meta = header.Decode(MetadataSchema());
  for (const auto& [k, v] : meta.entries()) metadata_[k] = v.str();
  sync_ = header.ReadFixed(kSyncSize);
  pos_ = header.offset();
  auto schema = metadata_.find("avro.schema");
  if (schema == metadata_.end()) {
    throw InvalidInputError(fmt::format("{}: the Avro header has no avro.schema", where_));
  }
  schema_ = ParseSchema(schema->second, where_);
  codec_ = ParseCodec(metadata("avro.codec"), where_);
}

std::string FileReader::metadata(const std::string& key) const {
  auto it = metadata_.find(key);
  return it == metadata_.end() ? "" : it->second;
}

bool FileReader::LoadBlock() {
  while (block_left_ == 0) {
    if (pos_ >= data_.size()) return false;
    Decoder d(reinterpret_cast<const uint8_t*>(data_.data()) + pos_, data_.size() - pos_, where_, pos_);
    const int64_t count = d.ReadLong();
    const int64_t size = d.ReadLong();
    if (count < 0 || size < 0 || static_cast<uint64_t>(size) > d.remaining()) {
      d.Fail(fmt::format("a block of {} records in {} bytes", count, size));
    }
    block_offset_ = d.offset();
    const std::string raw = d.ReadFixed(static_cast<size_t>(size));
    if (d.ReadFixed(kSyncSize) != sync_) d.Fail("the sync marker after a block does not match the header's");
    pos_ = d.offset();
    block_ = DecompressBlock(codec_, raw, where_, kMaxBlockBytes);
    block_left_ = count;
    decoder_ = std::make_unique<Decoder>(reinterpret_cast<const uint8_t*>(block_.data()), block_.size(),
                                         fmt::format("{} (block at byte {})", where_, block_offset_));
  }
  return true;
}

bool FileReader::Next(Value* record) {
  if (!LoadBlock()) return false;
  *record = decoder_->Decode(*schema_);
  if (--block_left_ == 0 && !decoder_->at_end()) decoder_->Fail("bytes left over after the block's records");
  return true;
}

}  // namespace sluice::avro
