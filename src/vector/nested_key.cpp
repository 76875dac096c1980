#include "vector/nested_key.h"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "common/error.h"
#include "types/interval.h"

namespace sluice {

namespace {

constexpr char kEnd = 0x01;    // after a list's last element
constexpr char kValid = 0x02;  // before an element or field value
constexpr char kNull = 0x03;   // a NULL element or field: after every value

void PutBigEndian(std::string& out, uint64_t v) {
  for (int s = 56; s >= 0; s -= 8) out += static_cast<char>((v >> s) & 0xFF);
}

uint64_t GetBigEndian(std::string_view& in) {
  SLUICE_CHECK(in.size() >= 8, "truncated nested key");
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | static_cast<uint8_t>(in[i]);
  in.remove_prefix(8);
  return v;
}

constexpr uint64_t kSign = uint64_t{1} << 63;

void PutInt(std::string& out, int64_t v) { PutBigEndian(out, static_cast<uint64_t>(v) ^ kSign); }
int64_t GetInt(std::string_view& in) { return static_cast<int64_t>(GetBigEndian(in) ^ kSign); }

void PutDouble(std::string& out, double d) {
  if (d == 0) d = 0;  // -0.0 is 0.0
  if (std::isnan(d)) d = std::numeric_limits<double>::quiet_NaN();
  const uint64_t bits = std::bit_cast<uint64_t>(d);
  PutBigEndian(out, (bits & kSign) != 0 ? ~bits : bits | kSign);
}

double GetDouble(std::string_view& in) {
  const uint64_t k = GetBigEndian(in);
  return std::bit_cast<double>((k & kSign) != 0 ? k & ~kSign : ~k);
}

// Row `row` (not NULL) of `c`, appended to `out`.
void EncodeValue(const Column& c, size_t row, std::string& out);

void EncodeSlot(const Column& c, size_t row, std::string& out) {
  if (!c.IsValid(row)) {
    out += kNull;
    return;
  }
  out += kValid;
  EncodeValue(c, row, out);
}

void EncodeValue(const Column& c, size_t row, std::string& out) {
  const LogicalType& t = c.type();
  switch (t.id()) {
    case TypeId::kNull: return;
    case TypeId::kBoolean: out += static_cast<char>(c.data<uint8_t>()[row]); return;
    case TypeId::kTinyInt: return PutInt(out, c.data<int8_t>()[row]);
    case TypeId::kSmallInt: return PutInt(out, c.data<int16_t>()[row]);
    case TypeId::kInteger:
    case TypeId::kDate: return PutInt(out, c.data<int32_t>()[row]);
    case TypeId::kBigInt:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kTime: return PutInt(out, c.data<int64_t>()[row]);
    case TypeId::kDouble: return PutDouble(out, c.data<double>()[row]);
    case TypeId::kDecimal:
      if (t.IsWideDecimal()) {
        const int128_t v = c.data<int128_t>()[row];
        PutInt(out, static_cast<int64_t>(v >> 64));
        PutBigEndian(out, static_cast<uint64_t>(v));
        return;
      }
      return PutInt(out, c.data<int64_t>()[row]);
    case TypeId::kVarchar:
    case TypeId::kBlob: {
      // 0x00 is escaped as 0x00 0x01 and the string ends with 0x00 0x00, so a prefix sorts
      // first.
      for (char ch : c.data<StringView>()[row].view()) {
        out += ch;
        if (ch == '\0') out += '\x01';
      }
      out += '\0';
      out += '\0';
      return;
    }
    case TypeId::kInterval: {
      const Interval& v = c.data<Interval>()[row];
      const int128_t norm = v.NormalizedMicros128();
      PutInt(out, static_cast<int64_t>(norm >> 64));
      PutBigEndian(out, static_cast<uint64_t>(norm));
      PutInt(out, v.months);
      PutInt(out, v.days);
      PutInt(out, v.micros);
      return;
    }
    case TypeId::kList:
    case TypeId::kMap: {
      const ListEntry e = c.list_entries()[row];
      for (uint64_t j = 0; j < e.length; j++) EncodeSlot(c.child(0), e.offset + j, out);
      out += kEnd;
      return;
    }
    case TypeId::kStruct:
      for (size_t f = 0; f < c.num_children(); f++) EncodeSlot(c.child(f), row, out);
      return;
  }
}

Value DecodeValue(std::string_view& in, const LogicalType& t);

Value DecodeSlot(std::string_view& in, const LogicalType& t) {
  SLUICE_CHECK(!in.empty(), "truncated nested key");
  const char marker = in[0];
  in.remove_prefix(1);
  if (marker == kNull) return Value::Null(t);
  return DecodeValue(in, t);
}

Value DecodeValue(std::string_view& in, const LogicalType& t) {
  switch (t.id()) {
    case TypeId::kNull: return Value::Null(t);
    case TypeId::kBoolean: {
      const bool b = in[0] != 0;
      in.remove_prefix(1);
      return Value::Boolean(b);
    }
    case TypeId::kTinyInt: return Value::TinyInt(static_cast<int8_t>(GetInt(in)));
    case TypeId::kSmallInt: return Value::SmallInt(static_cast<int16_t>(GetInt(in)));
    case TypeId::kInteger: return Value::Integer(static_cast<int32_t>(GetInt(in)));
    case TypeId::kDate: return Value::Date(static_cast<int32_t>(GetInt(in)));
    case TypeId::kBigInt: return Value::BigInt(GetInt(in));
    case TypeId::kTimestamp: return Value::Timestamp(GetInt(in));
    case TypeId::kTime: return Value::Time(GetInt(in));
    case TypeId::kTimestampTz: return Value::TimestampTz(GetInt(in));
    case TypeId::kDouble: return Value::Double(GetDouble(in));
    case TypeId::kDecimal: {
      if (t.IsWideDecimal()) {
        const int128_t high = GetInt(in);
        const uint64_t low = GetBigEndian(in);
        return Value::Decimal((high << 64) | low, t.precision(), t.scale());
      }
      return Value::Decimal(GetInt(in), t.precision(), t.scale());
    }
    case TypeId::kVarchar:
    case TypeId::kBlob: {
      std::string s;
      size_t i = 0;
      while (true) {
        SLUICE_CHECK(i + 1 < in.size() || (i < in.size() && in[i] != '\0'), "truncated key");
        if (in[i] == '\0') {
          if (in[i + 1] == '\0') break;
          s += '\0';
          i += 2;
          continue;
        }
        s += in[i++];
      }
      in.remove_prefix(i + 2);
      return t.id() == TypeId::kBlob ? Value::Blob(std::move(s)) : Value::Varchar(std::move(s));
    }
    case TypeId::kInterval: {
      GetInt(in);
      GetBigEndian(in);
      Interval v;
      v.months = static_cast<int32_t>(GetInt(in));
      v.days = static_cast<int32_t>(GetInt(in));
      v.micros = GetInt(in);
      return Value::IntervalValue(v);
    }
    case TypeId::kList:
    case TypeId::kMap: {
      std::vector<Value> elements;
      while (true) {
        SLUICE_CHECK(!in.empty(), "truncated nested key");
        if (in[0] == kEnd) {
          in.remove_prefix(1);
          break;
        }
        elements.push_back(DecodeSlot(in, t.ListChild()));
      }
      return Value::List(t, std::move(elements));
    }
    case TypeId::kStruct: {
      std::vector<Value> fields;
      for (const auto& f : t.StructFields()) fields.push_back(DecodeSlot(in, f.type));
      return Value::Struct(t, std::move(fields));
    }
  }
  return Value::Null(t);
}

}  // namespace

std::shared_ptr<Column> EncodeNestedKeys(const Column& column, size_t n) {
  auto out = Column::Make(TypeId::kVarchar, std::max<size_t>(n, 1));
  std::string buffer;
  for (size_t i = 0; i < n; i++) {
    const size_t row = column.is_constant() ? 0 : i;
    if (!column.IsValid(row)) {
      out->data<StringView>()[i] = StringView();
      out->SetNull(i);
      continue;
    }
    buffer.clear();
    EncodeValue(column, row, buffer);
    out->data<StringView>()[i] = out->AddString(buffer);
  }
  out->set_size(n);
  return out;
}

std::shared_ptr<Column> DecodeNestedKeys(const Column& keys, const LogicalType& type, size_t n) {
  auto out = Column::Make(type, std::max<size_t>(n, 1));
  for (size_t i = 0; i < n; i++) {
    const size_t row = keys.is_constant() ? 0 : i;
    if (!keys.IsValid(row)) {
      out->SetValue(i, Value::Null(type));
      continue;
    }
    std::string_view in = keys.data<StringView>()[row].view();
    out->SetValue(i, DecodeValue(in, type));
  }
  out->set_size(n);
  return out;
}

}  // namespace sluice
