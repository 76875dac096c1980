#include "io/thrift_compact.h"

#include <cstring>

namespace sluice {

namespace {
// Deeper nesting than any Parquet structure needs; bounds recursion on corrupt input.
constexpr int kMaxDepth = 32;
}  // namespace

void ThriftReader::Fail(const char* what) const {
  throw ThriftError{std::string(what) + " at byte " + std::to_string(pos_ - begin_)};
}

uint8_t ThriftReader::ReadRawByte() {
  if (pos_ >= end_) Fail("truncated Thrift data");
  return *pos_++;
}

uint64_t ThriftReader::ReadVarint() {
  uint64_t result = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    const uint8_t b = ReadRawByte();
    result |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return result;
  }
  Fail("varint too long");
}

void ThriftReader::StructBegin() {
  if (last_field_ids_.size() >= kMaxDepth) Fail("Thrift structures nested too deeply");
  last_field_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void ThriftReader::StructEnd() {
  last_field_id_ = last_field_ids_.back();
  last_field_ids_.pop_back();
}

bool ThriftReader::ReadFieldBegin(int16_t* id, ThriftType* type) {
  const uint8_t header = ReadRawByte();
  const uint8_t t = header & 0x0f;
  if (t == 0) return false;
  if (t > static_cast<uint8_t>(ThriftType::kStruct)) Fail("bad Thrift field type");
  *type = static_cast<ThriftType>(t);
  const uint8_t delta = header >> 4;
  if (delta != 0) {
    *id = static_cast<int16_t>(last_field_id_ + delta);
  } else {
    const uint64_t z = ReadVarint();
    *id = static_cast<int16_t>((z >> 1) ^ (~(z & 1) + 1));
  }
  last_field_id_ = *id;
  return true;
}

bool ThriftReader::ReadBool(ThriftType field_type) { return field_type == ThriftType::kTrue; }

bool ThriftReader::ReadListBool() { return ReadRawByte() == 1; }

int8_t ThriftReader::ReadByte() { return static_cast<int8_t>(ReadRawByte()); }

int32_t ThriftReader::ReadI32() { return static_cast<int32_t>(ReadI64()); }

int64_t ThriftReader::ReadI64() {
  const uint64_t z = ReadVarint();
  return static_cast<int64_t>((z >> 1) ^ (~(z & 1) + 1));
}

double ThriftReader::ReadDouble() {
  if (end_ - pos_ < 8) Fail("truncated Thrift double");
  double d;
  std::memcpy(&d, pos_, 8);
  pos_ += 8;
  return d;
}

std::string_view ThriftReader::ReadBinaryView() {
  const uint64_t n = ReadVarint();
  if (n > static_cast<uint64_t>(end_ - pos_)) Fail("Thrift string longer than the data");
  std::string_view v(reinterpret_cast<const char*>(pos_), n);
  pos_ += n;
  return v;
}

std::string ThriftReader::ReadString() { return std::string(ReadBinaryView()); }

uint32_t ThriftReader::ReadListBegin(ThriftType* element_type) {
  const uint8_t header = ReadRawByte();
  uint64_t count = header >> 4;
  if (count == 15) count = ReadVarint();
  const uint8_t t = header & 0x0f;
  if (t > static_cast<uint8_t>(ThriftType::kStruct)) Fail("bad Thrift list element type");
  *element_type = static_cast<ThriftType>(t);
  // Every element takes at least one byte, so a longer count is corrupt.
  if (count > static_cast<uint64_t>(end_ - pos_)) Fail("Thrift list longer than the data");
  return static_cast<uint32_t>(count);
}

void ThriftReader::Skip(ThriftType type, int depth) {
  if (depth > kMaxDepth) Fail("Thrift values nested too deeply");
  switch (type) {
    case ThriftType::kTrue:
    case ThriftType::kFalse: return;  // a field bool: the value was in the header
    case ThriftType::kByte: ReadRawByte(); return;
    case ThriftType::kI16:
    case ThriftType::kI32:
    case ThriftType::kI64: ReadVarint(); return;
    case ThriftType::kDouble: ReadDouble(); return;
    case ThriftType::kBinary: ReadBinaryView(); return;
    case ThriftType::kList:
    case ThriftType::kSet: {
      ThriftType element;
      const uint32_t n = ReadListBegin(&element);
      for (uint32_t i = 0; i < n; i++) {
        if (element == ThriftType::kTrue || element == ThriftType::kFalse) {
          ReadRawByte();
        } else {
          Skip(element, depth + 1);
        }
      }
      return;
    }
    case ThriftType::kMap: {
      const uint64_t n = ReadVarint();
      if (n == 0) return;
      if (n > static_cast<uint64_t>(end_ - pos_)) Fail("Thrift map longer than the data");
      const uint8_t kv = ReadRawByte();
      const auto key = static_cast<ThriftType>(kv >> 4);
      const auto value = static_cast<ThriftType>(kv & 0x0f);
      for (uint64_t i = 0; i < n; i++) {
        Skip(key, depth + 1);
        Skip(value, depth + 1);
      }
      return;
    }
    case ThriftType::kStruct: {
      StructBegin();
      int16_t id;
      ThriftType t;
      while (ReadFieldBegin(&id, &t)) Skip(t, depth + 1);
      StructEnd();
      return;
    }
    case ThriftType::kStop: Fail("unexpected Thrift STOP");
  }
  Fail("bad Thrift type");
}

void ThriftWriter::Varint(uint64_t v) {
  while (v >= 0x80) {
    out_->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_->push_back(static_cast<char>(v));
}

void ThriftWriter::StructBegin() {
  last_field_ids_.push_back(last_field_id_);
  last_field_id_ = 0;
}

void ThriftWriter::StructEnd() {
  out_->push_back(0);
  last_field_id_ = last_field_ids_.back();
  last_field_ids_.pop_back();
}

void ThriftWriter::FieldHeader(int16_t id, ThriftType type) {
  const int delta = id - last_field_id_;
  if (delta > 0 && delta <= 15) {
    out_->push_back(static_cast<char>((delta << 4) | static_cast<uint8_t>(type)));
  } else {
    out_->push_back(static_cast<char>(type));
    Varint(ZigZag(id));
  }
  last_field_id_ = id;
}

void ThriftWriter::FieldI32(int16_t id, int32_t v) {
  FieldHeader(id, ThriftType::kI32);
  Varint(ZigZag(v));
}

void ThriftWriter::FieldI64(int16_t id, int64_t v) {
  FieldHeader(id, ThriftType::kI64);
  Varint(ZigZag(v));
}

void ThriftWriter::FieldBool(int16_t id, bool v) {
  FieldHeader(id, v ? ThriftType::kTrue : ThriftType::kFalse);
}

void ThriftWriter::FieldByte(int16_t id, int8_t v) {
  FieldHeader(id, ThriftType::kByte);
  out_->push_back(static_cast<char>(v));
}

void ThriftWriter::FieldBinary(int16_t id, std::string_view v) {
  FieldHeader(id, ThriftType::kBinary);
  Binary(v);
}

void ThriftWriter::Binary(std::string_view v) {
  Varint(v.size());
  out_->append(v);
}

void ThriftWriter::FieldListBegin(int16_t id, ThriftType element_type, uint32_t count) {
  FieldHeader(id, ThriftType::kList);
  ListBegin(element_type, count);
}

void ThriftWriter::ListBegin(ThriftType element_type, uint32_t count) {
  if (count < 15) {
    out_->push_back(static_cast<char>((count << 4) | static_cast<uint8_t>(element_type)));
  } else {
    out_->push_back(static_cast<char>(0xf0 | static_cast<uint8_t>(element_type)));
    Varint(count);
  }
}

}  // namespace sluice
