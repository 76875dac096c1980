#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "jinja/jinja_value.h"

// Python semantics of the operators and protocols Jinja expressions use. Every function throws
// JinjaError (without a position) when the operation is not defined for the operand types.
namespace sluice::jinja {

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kFloorDiv, kMod, kPow };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kIn, kNotIn };

// `==`: numbers by value (True == 1), sequences and dicts element-wise, objects by identity.
bool Equals(const Value& a, const Value& b);
// Ordering for `<` and sort: negative, zero or positive.
int Compare(const Value& a, const Value& b);
bool EvaluateCompare(CompareOp op, const Value& a, const Value& b);
Value EvaluateBinary(BinaryOp op, const Value& a, const Value& b);
Value Negate(const Value& v);
// `needle in haystack`.
bool Contains(const Value& haystack, const Value& needle);

// The elements `for x in v` visits: list items, dict keys, string characters (UTF-8 code
// points); undefined iterates as empty.
List Iterate(const Value& v);
// len(v); undefined has length 0.
int64_t Length(const Value& v);

// `v.name`: methods and attributes first, then dict items; Undefined (with a hint) when absent.
// Throws when `v` itself is undefined.
Value GetAttribute(const Value& v, std::string_view name);
// `v[key]`: items first, then attributes for string keys; Undefined when absent.
Value GetItem(const Value& v, const Value& key);
// `v[start:stop:step]` on strings, lists and tuples; unset bounds are nullopt.
Value Slice(const Value& v, std::optional<int64_t> start, std::optional<int64_t> stop,
            std::optional<int64_t> step);
// Calls `v`; throws if it is undefined or not callable.
Value CallValue(const Value& v, const CallArgs& args);

// The bound method `name` of a str, list or dict, or nullopt (jinja_methods.cpp).
std::optional<Value> GetMethod(const Value& self, std::string_view name);

// Python's `fmt % args` for strings (the `format` filter): %s %r %d %i %f %e %g %x %o %c %%,
// with flags, width and precision; `args` is a tuple or a single value.
std::string PercentFormat(std::string_view fmt, const Value& args);
// Python's str.format: {} {0} {name} with a subset of format specs.
std::string BraceFormat(std::string_view fmt, const CallArgs& args);

// Raised when an undefined value is used other than printed, tested or iterated.
[[noreturn]] void ThrowUndefined(const Value& v);
// "'dict object'" / "'None'" as Jinja names a type in attribute errors.
std::string ObjectTypeRepr(const Value& v);

}  // namespace sluice::jinja
