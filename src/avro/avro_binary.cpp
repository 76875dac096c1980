#include "avro/avro_binary.h"

#include <cstring>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::avro {

namespace {

// Nesting deeper than this is refused when decoding (a corrupt file cannot overflow the
// stack): real schemas nest a few levels.
constexpr int kMaxDepth = 200;

[[noreturn]] void Mismatch(const Schema& schema, const char* held) {
  throw InvalidInputError(fmt::format("Avro: a {} value cannot be written as {}", held,
                                      schema.type == AvroType::kRecord ? schema.name : AvroTypeName(schema.type)));
}

const char* HeldName(const Value& v) {
  static const char* names[] = {"null", "boolean", "int", "long", "float", "double", "string", "list", "map"};
  return names[v.v.index()];
}

// Whether branch `b` can hold `value` (the writer's choice for a union without a branch).
bool Fits(const Schema& b, const Value& value) {
  switch (b.type) {
    case AvroType::kNull: return value.is_null();
    case AvroType::kBoolean: return std::holds_alternative<bool>(value.v);
    case AvroType::kInt: return std::holds_alternative<int32_t>(value.v);
    case AvroType::kLong: return std::holds_alternative<int64_t>(value.v) || std::holds_alternative<int32_t>(value.v);
    case AvroType::kFloat: return std::holds_alternative<float>(value.v);
    case AvroType::kDouble: return std::holds_alternative<double>(value.v) || std::holds_alternative<float>(value.v);
    case AvroType::kBytes:
    case AvroType::kString: return std::holds_alternative<std::string>(value.v);
    case AvroType::kEnum: {
      if (!std::holds_alternative<std::string>(value.v)) return false;
      for (const auto& s : b.symbols) {
        if (s == value.str()) return true;
      }
      return false;
    }
    case AvroType::kFixed: return std::holds_alternative<std::string>(value.v) && value.str().size() == b.fixed_size;
    case AvroType::kRecord: return std::holds_alternative<Items>(value.v) && value.items().size() == b.fields.size();
    case AvroType::kArray: return std::holds_alternative<Items>(value.v);
    case AvroType::kMap: return std::holds_alternative<Entries>(value.v);
    case AvroType::kUnion: return false;
  }
  return false;
}

template <typename T>
void AppendLittleEndian(T v, std::string* out) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));  // Avro is little-endian, as is every target we build for
  out->append(bytes, sizeof(T));
}

void EncodeBytes(const std::string& s, std::string* out) {
  EncodeLong(static_cast<int64_t>(s.size()), out);
  out->append(s);
}

}  // namespace

void EncodeLong(int64_t v, std::string* out) {
  uint64_t z = (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
  while (z >= 0x80) {
    out->push_back(static_cast<char>((z & 0x7f) | 0x80));
    z >>= 7;
  }
  out->push_back(static_cast<char>(z));
}

void Encode(const Schema& schema, const Value& value, std::string* out) {
  switch (schema.type) {
    case AvroType::kNull:
      if (!value.is_null()) Mismatch(schema, HeldName(value));
      return;
    case AvroType::kBoolean:
      if (!std::holds_alternative<bool>(value.v)) Mismatch(schema, HeldName(value));
      out->push_back(value.boolean() ? 1 : 0);
      return;
    case AvroType::kInt:
      if (!std::holds_alternative<int32_t>(value.v)) Mismatch(schema, HeldName(value));
      EncodeLong(value.int32(), out);
      return;
    case AvroType::kLong:
      if (!std::holds_alternative<int64_t>(value.v) && !std::holds_alternative<int32_t>(value.v)) {
        Mismatch(schema, HeldName(value));
      }
      EncodeLong(value.int64(), out);
      return;
    case AvroType::kFloat:
      if (!std::holds_alternative<float>(value.v)) Mismatch(schema, HeldName(value));
      AppendLittleEndian(std::get<float>(value.v), out);
      return;
    case AvroType::kDouble:
      if (!std::holds_alternative<double>(value.v) && !std::holds_alternative<float>(value.v)) {
        Mismatch(schema, HeldName(value));
      }
      AppendLittleEndian(value.float64(), out);
      return;
    case AvroType::kBytes:
    case AvroType::kString:
      if (!std::holds_alternative<std::string>(value.v)) Mismatch(schema, HeldName(value));
      EncodeBytes(value.str(), out);
      return;
    case AvroType::kFixed:
      if (!Fits(schema, value)) Mismatch(schema, HeldName(value));
      out->append(value.str());
      return;
    case AvroType::kEnum:
      if (!std::holds_alternative<std::string>(value.v)) Mismatch(schema, HeldName(value));
      for (size_t i = 0; i < schema.symbols.size(); i++) {
        if (schema.symbols[i] == value.str()) {
          EncodeLong(static_cast<int64_t>(i), out);
          return;
        }
      }
      throw InvalidInputError(fmt::format("Avro: enum {} has no symbol {}", schema.name, value.str()));
    case AvroType::kRecord: {
      if (!Fits(schema, value)) {
        throw InvalidInputError(fmt::format("Avro: record {} needs {} fields", schema.name, schema.fields.size()));
      }
      for (size_t i = 0; i < schema.fields.size(); i++) Encode(*schema.fields[i].type, value.items()[i], out);
      return;
    }
    case AvroType::kArray: {
      if (!std::holds_alternative<Items>(value.v)) Mismatch(schema, HeldName(value));
      const Items& items = value.items();
      if (!items.empty()) {
        EncodeLong(static_cast<int64_t>(items.size()), out);
        for (const auto& item : items) Encode(*schema.items, item, out);
      }
      EncodeLong(0, out);
      return;
    }
    case AvroType::kMap: {
      if (!std::holds_alternative<Entries>(value.v)) Mismatch(schema, HeldName(value));
      const Entries& entries = value.entries();
      if (!entries.empty()) {
        EncodeLong(static_cast<int64_t>(entries.size()), out);
        for (const auto& [k, v] : entries) {
          EncodeBytes(k, out);
          Encode(*schema.items, v, out);
        }
      }
      EncodeLong(0, out);
      return;
    }
    case AvroType::kUnion: {
      int branch = value.branch;
      if (branch < 0 || branch >= static_cast<int>(schema.branches.size())) {
        branch = -1;
        for (size_t i = 0; i < schema.branches.size() && branch < 0; i++) {
          if (Fits(*schema.branches[i], value)) branch = static_cast<int>(i);
        }
        if (branch < 0) Mismatch(schema, HeldName(value));
      }
      EncodeLong(branch, out);
      Encode(*schema.branches[branch], value, out);
      return;
    }
  }
}

void Decoder::Fail(const std::string& what) const {
  throw InvalidInputError(fmt::format("{}: malformed Avro data at byte {}: {}", where_, offset(), what));
}

void Decoder::Need(size_t n) const {
  if (static_cast<size_t>(end_ - p_) < n) Fail(fmt::format("needs {} more bytes, the data ends", n));
}

int64_t Decoder::ReadLong() {
  uint64_t z = 0;
  for (int shift = 0; shift < 70; shift += 7) {
    Need(1);
    const uint8_t b = *p_++;
    z |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return static_cast<int64_t>(z >> 1) ^ -static_cast<int64_t>(z & 1);
  }
  Fail("a varint longer than 10 bytes");
}

std::string Decoder::ReadFixed(size_t n) {
  Need(n);
  std::string s(reinterpret_cast<const char*>(p_), n);
  p_ += n;
  return s;
}

std::string Decoder::ReadBytes() {
  const int64_t n = ReadLong();
  if (n < 0) Fail(fmt::format("negative length {}", n));
  return ReadFixed(static_cast<size_t>(n));
}

namespace {

// Decodes with a depth count (Decoder::Decode's recursion).
class DepthDecoder {
 public:
  explicit DepthDecoder(Decoder& d) : d_(d) {}

  Value Decode(const Schema& s, int depth) {
    if (depth > kMaxDepth) d_.Fail("nested too deeply");
    switch (s.type) {
      case AvroType::kNull: return Value();
      case AvroType::kBoolean: {
        const std::string b = d_.ReadFixed(1);
        if (b[0] != 0 && b[0] != 1) d_.Fail("a boolean that is neither 0 nor 1");
        return Value(b[0] == 1);
      }
      case AvroType::kInt: {
        const int64_t v = d_.ReadLong();
        if (v < INT32_MIN || v > INT32_MAX) d_.Fail(fmt::format("int {} out of range", v));
        return Value(static_cast<int32_t>(v));
      }
      case AvroType::kLong: return Value(d_.ReadLong());
      case AvroType::kFloat: {
        const std::string b = d_.ReadFixed(4);
        float f;
        std::memcpy(&f, b.data(), 4);
        return Value(f);
      }
      case AvroType::kDouble: {
        const std::string b = d_.ReadFixed(8);
        double x;
        std::memcpy(&x, b.data(), 8);
        return Value(x);
      }
      case AvroType::kBytes:
      case AvroType::kString: return Value(d_.ReadBytes());
      case AvroType::kFixed: return Value(d_.ReadFixed(s.fixed_size));
      case AvroType::kEnum: {
        const int64_t i = d_.ReadLong();
        if (i < 0 || i >= static_cast<int64_t>(s.symbols.size())) d_.Fail(fmt::format("enum index {} out of range", i));
        return Value(s.symbols[i]);
      }
      case AvroType::kRecord: {
        Items fields;
        fields.reserve(s.fields.size());
        for (const auto& f : s.fields) fields.push_back(Decode(*f.type, depth + 1));
        return Value(std::move(fields));
      }
      case AvroType::kArray: {
        Items items;
        for (int64_t n = BlockCount(); n != 0; n = BlockCount()) {
          for (int64_t i = 0; i < n; i++) items.push_back(Decode(*s.items, depth + 1));
        }
        return Value(std::move(items));
      }
      case AvroType::kMap: {
        Entries entries;
        for (int64_t n = BlockCount(); n != 0; n = BlockCount()) {
          for (int64_t i = 0; i < n; i++) {
            std::string key = d_.ReadBytes();
            entries.emplace_back(std::move(key), Decode(*s.items, depth + 1));
          }
        }
        return Value(std::move(entries));
      }
      case AvroType::kUnion: {
        const int64_t b = d_.ReadLong();
        if (b < 0 || b >= static_cast<int64_t>(s.branches.size())) d_.Fail(fmt::format("union branch {} out of range", b));
        Value v = Decode(*s.branches[b], depth + 1);
        v.branch = static_cast<int>(b);
        return v;
      }
    }
    d_.Fail("unknown type");
  }

 private:
  // The item count of the next block; a negative count is followed by the block's size.
  int64_t BlockCount() {
    int64_t n = d_.ReadLong();
    if (n < 0) {
      if (n == INT64_MIN) d_.Fail("block count out of range");
      n = -n;
      d_.ReadLong();
    }
    // Every item takes a byte or more except in degenerate schemas (null items, empty
    // records): a count far beyond the bytes left is corrupt, not a reason to allocate.
    if (static_cast<uint64_t>(n) > d_.remaining() + (uint64_t{1} << 16)) {
      d_.Fail(fmt::format("a block of {} items in {} bytes", n, d_.remaining()));
    }
    return n;
  }

  Decoder& d_;
};

}  // namespace

Value Decoder::Decode(const Schema& schema) { return DepthDecoder(*this).Decode(schema, 0); }

}  // namespace sluice::avro
