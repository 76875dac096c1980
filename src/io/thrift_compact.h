#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sluice {

// Type codes of the Thrift compact protocol (the low nibble of a field header).
enum class ThriftType : uint8_t {
  kStop = 0,
  kTrue = 1,
  kFalse = 2,
  kByte = 3,
  kI16 = 4,
  kI32 = 5,
  kI64 = 6,
  kDouble = 7,
  kBinary = 8,
  kList = 9,
  kSet = 10,
  kMap = 11,
  kStruct = 12,
};

// Thrown by ThriftReader on malformed or truncated input; callers turn it into an IOError
// that names the file (the decoder does not know it).
struct ThriftError {
  std::string message;
};

// Decodes the Thrift compact protocol from a byte range it does not own, checking every
// length against the bytes left, so corrupt input throws ThriftError and never reads past
// the end, allocates absurd amounts or recurses without bound. Not thread-safe.
class ThriftReader {
 public:
  ThriftReader(const uint8_t* data, size_t size) : pos_(data), end_(data + size), begin_(data) {}

  // Struct framing: ReadFieldBegin returns false at the struct's STOP.
  void StructBegin();
  void StructEnd();
  bool ReadFieldBegin(int16_t* id, ThriftType* type);

  // Values. Booleans in a struct field carry their value in the field type.
  bool ReadBool(ThriftType field_type);
  int8_t ReadByte();
  int32_t ReadI32();
  int64_t ReadI64();
  double ReadDouble();
  std::string ReadString();
  std::string_view ReadBinaryView();
  // List header: element type and count (count checked against the bytes left).
  uint32_t ReadListBegin(ThriftType* element_type);
  // A bool that is a list element (one byte).
  bool ReadListBool();
  // Skips a value of `type` (nested values too, to a depth limit).
  void Skip(ThriftType type, int depth = 0);

  size_t position() const { return static_cast<size_t>(pos_ - begin_); }

 private:
  uint64_t ReadVarint();
  uint8_t ReadRawByte();
  [[noreturn]] void Fail(const char* what) const;

  const uint8_t* pos_;
  const uint8_t* end_;
  const uint8_t* begin_;
  std::vector<int16_t> last_field_ids_;
  int16_t last_field_id_ = 0;
};

// Encodes the Thrift compact protocol into a growing string. Not thread-safe.
class ThriftWriter {
 public:
  explicit ThriftWriter(std::string* out) : out_(out) {}

  void StructBegin();
  void StructEnd();  // writes STOP
  void FieldI32(int16_t id, int32_t v);
  void FieldI64(int16_t id, int64_t v);
  void FieldBool(int16_t id, bool v);
  void FieldByte(int16_t id, int8_t v);
  void FieldBinary(int16_t id, std::string_view v);
  // Field header for a nested struct or list; the caller writes the value.
  void FieldStructBegin(int16_t id) { FieldHeader(id, ThriftType::kStruct); }
  void FieldListBegin(int16_t id, ThriftType element_type, uint32_t count);
  // List elements.
  void ListBegin(ThriftType element_type, uint32_t count);
  void I32(int32_t v) { Varint(ZigZag(v)); }
  void Binary(std::string_view v);

 private:
  static uint64_t ZigZag(int64_t v) {
    return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  }
  void FieldHeader(int16_t id, ThriftType type);
  void Varint(uint64_t v);

  std::string* out_;
  std::vector<int16_t> last_field_ids_;
  int16_t last_field_id_ = 0;
};

}  // namespace sluice
