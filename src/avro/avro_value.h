#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace sluice::avro {

struct Value;
using Items = std::vector<Value>;                              // record fields, array items
using Entries = std::vector<std::pair<std::string, Value>>;    // map entries, in file order

// One Avro datum, read or to be written with a schema (the schema says which Avro type a
// held alternative stands for):
//   null -> monostate; boolean -> bool; int -> int32_t; long -> int64_t; float; double;
//   bytes, string, fixed -> std::string (raw bytes); enum -> its symbol as std::string;
//   record -> Items in field order; array -> Items; map -> Entries.
// A union's value is the chosen branch's value; `branch` records which branch was read (-1
// when the writer should choose: the first branch that can hold the alternative).
struct Value {
  std::variant<std::monostate, bool, int32_t, int64_t, float, double, std::string, Items, Entries> v;
  int branch = -1;

  Value() = default;
  template <typename T>
  Value(T x) : v(std::move(x)) {}  // NOLINT(google-explicit-constructor): datums read as literals

  bool is_null() const { return std::holds_alternative<std::monostate>(v); }
  bool boolean() const { return std::get<bool>(v); }
  int32_t int32() const { return std::get<int32_t>(v); }
  // An int or a long, widened (Avro's promotion).
  int64_t int64() const {
    return std::holds_alternative<int32_t>(v) ? std::get<int32_t>(v) : std::get<int64_t>(v);
  }
  double float64() const {
    return std::holds_alternative<float>(v) ? std::get<float>(v) : std::get<double>(v);
  }
  const std::string& str() const { return std::get<std::string>(v); }
  const Items& items() const { return std::get<Items>(v); }
  Items& items() { return std::get<Items>(v); }
  const Entries& entries() const { return std::get<Entries>(v); }
};

}  // namespace sluice::avro
