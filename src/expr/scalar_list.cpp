// LIST functions: list_value ([...]), len, list_extract (l[i]), list_contains, list_concat
// (and || on lists), list_sort, list_distinct, string_split, range / generate_series.
// Kernels work on the child column through selection vectors where they can (extract, sort,
// distinct copy elements with one Gather); element comparisons go through Values.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"
#include "expr/binder.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "types/physical_dispatch.h"

namespace sluice {

namespace {

const LogicalType kVarchar = TypeId::kVarchar;
const LogicalType kBigInt = TypeId::kBigInt;

bool IsList(const ExprPtr& e) { return e->type.id() == TypeId::kList; }
bool IsNullType(const ExprPtr& e) { return e->type.id() == TypeId::kNull; }

// A column of `type` with m rows, no NULLs and (for LIST) empty entries.
std::shared_ptr<Column> NewResult(const LogicalType& type, size_t m) {
  auto out = Column::Make(type, std::max<size_t>(m, 1));
  out->set_size(m);
  std::memset(out->raw_data(), 0, m * static_cast<size_t>(type.PhysicalSize()));
  return out;
}

// Calls fn(i, out) for rows [0, m) (m = 1 when every argument is constant); a row is NULL
// when an argument in `strict` positions is NULL there or fn returns false.
template <typename Fn>
ColumnPtr ListRowExec(const LogicalType& rtype, const std::vector<ColumnPtr>& args, size_t n,
                      bool strict, Fn fn) {
  const bool all_const = kernel::AllConstant(args);
  const size_t m = all_const ? 1 : n;
  auto out = NewResult(rtype, m);
  for (size_t i = 0; i < m; i++) {
    bool null = false;
    if (strict) {
      for (const auto& a : args) null |= !a->IsValid(i);
    }
    if (null || !fn(i, *out)) {
      out->SetNull(i);
      if (rtype.id() == TypeId::kList) out->list_entries()[i] = ListEntry{};
    }
  }
  if (all_const) return kernel::ToConstant(*out, n);
  return out;
}

const ListEntry& EntryAt(const Column& list, size_t i) {
  return list.list_entries()[list.is_constant() ? 0 : i];
}

// A LIST column whose row i holds child rows sel[begin[i] .. begin[i+1]) of `child`; rows
// where null[i] are NULL.
ColumnPtr ListFromSelection(const LogicalType& type, const Column& child,
                            const std::vector<uint32_t>& sel, const std::vector<size_t>& begin,
                            const std::vector<uint8_t>& null, size_t m) {
  auto out = NewResult(type, m);
  out->set_child(0, child.Gather(sel.data(), sel.size()));
  for (size_t i = 0; i < m; i++) {
    out->list_entries()[i] = ListEntry{begin[i], begin[i + 1] - begin[i]};
    if (null[i]) out->SetNull(i);
  }
  return out;
}

// The elements of row i as Values.
std::vector<Value> ElementsAt(const Column& list, size_t i) {
  const ListEntry e = EntryAt(list, i);
  std::vector<Value> out;
  out.reserve(e.length);
  for (uint64_t j = 0; j < e.length; j++) out.push_back(list.child(0).GetValue(e.offset + j));
  return out;
}

// Applies a reordering/filtering of each row's elements: pick(elements) returns the
// positions (within the row) to keep, in order.
template <typename Pick>
ColumnPtr RewriteLists(const ColumnPtr& arg, size_t n, Pick pick) {
  const Column& list = *arg;
  const size_t m = list.is_constant() ? 1 : n;
  std::vector<uint32_t> sel;
  std::vector<size_t> begin = {0};
  std::vector<uint8_t> null(m, 0);
  for (size_t i = 0; i < m; i++) {
    if (!list.IsValid(i)) {
      null[i] = 1;
    } else {
      const ListEntry e = EntryAt(list, i);
      for (size_t p : pick(ElementsAt(list, i))) sel.push_back(static_cast<uint32_t>(e.offset + p));
    }
    begin.push_back(sel.size());
  }
  ColumnPtr out = ListFromSelection(list.type(), list.child(0), sel, begin, null, m);
  if (list.is_constant()) return kernel::ToConstant(*out, n);
  return out;
}

std::optional<LogicalType> ElementTypeOf(const std::vector<ExprPtr>& args) {
  LogicalType t = TypeId::kNull;
  for (const auto& a : args) {
    try {
      t = CommonSuperType(t, a->type);
    } catch (const BindError&) {
      return std::nullopt;
    }
  }
  return t;
}

// list_value(a, b, ...) and [a, b, ...]: never NULL; NULL arguments are NULL elements.
std::optional<BoundScalar> ResolveListValue(const std::vector<ExprPtr>& args) {
  auto element = ElementTypeOf(args);
  if (!element) return std::nullopt;
  const LogicalType type = LogicalType::List(*element);
  ScalarKernel k = [type](const std::vector<ColumnPtr>& cols, size_t n) {
    return ListRowExec(type, cols, n, false, [&](size_t i, Column& out) {
      Column& child = out.mutable_child(0);
      const size_t offset = child.size();
      for (const auto& c : cols) child.Append(*c, c->is_constant() ? 0 : i, 1);
      out.list_entries()[i] = ListEntry{offset, cols.size()};
      return true;
    });
  };
  return BoundScalar{type, std::vector<LogicalType>(args.size(), *element), std::move(k)};
}

std::optional<BoundScalar> ResolveLength(const std::vector<ExprPtr>& args) {
  if (args.size() != 1 || !IsList(args[0])) return std::nullopt;
  ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) {
    return ListRowExec(kBigInt, cols, n, true, [&](size_t i, Column& out) {
      out.data<int64_t>()[i] = static_cast<int64_t>(EntryAt(*cols[0], i).length);
      return true;
    });
  };
  return BoundScalar{kBigInt, {args[0]->type}, std::move(k)};
}

// list_extract(l, i): 1-based, negative counts from the end, NULL out of range.
std::optional<BoundScalar> ResolveExtract(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !IsList(args[0]) || !kernel::ImplicitlyCastable(*args[1], kBigInt)) {
    return std::nullopt;
  }
  const LogicalType element = args[0]->type.ListChild();
  ScalarKernel k = [element](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const Column& list = *cols[0];
    const Column& index = *cols[1];
    const bool all_const = kernel::AllConstant(cols);
    const size_t m = all_const ? 1 : n;
    std::vector<uint32_t> sel(m, 0);
    std::vector<uint8_t> null(m, 1);
    for (size_t i = 0; i < m; i++) {
      if (!list.IsValid(i) || !index.IsValid(i)) continue;
      const ListEntry e = EntryAt(list, i);
      const int64_t at = index.data<int64_t>()[index.is_constant() ? 0 : i];
      const int64_t len = static_cast<int64_t>(e.length);
      const int64_t pos = at > 0 ? at - 1 : len + at;
      if (at == 0 || pos < 0 || pos >= len) continue;
      sel[i] = static_cast<uint32_t>(e.offset + static_cast<uint64_t>(pos));
      null[i] = 0;
    }
    if (std::all_of(null.begin(), null.end(), [](uint8_t x) { return x != 0; })) {
      return kernel::NullConstant(element, n);
    }
    auto out = list.child(0).Gather(sel.data(), m);
    for (size_t i = 0; i < m; i++) {
      if (null[i]) out->SetNull(i);
    }
    if (all_const) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{element, {args[0]->type, kBigInt}, std::move(k)};
}

std::optional<BoundScalar> ResolveContains(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !IsList(args[0])) return std::nullopt;
  LogicalType element;
  try {
    element = CommonSuperType(args[0]->type.ListChild(), args[1]->type);
  } catch (const BindError&) {
    return std::nullopt;
  }
  const LogicalType list_type = LogicalType::List(element);
  if (!element.IsNested() && element.id() != TypeId::kNull) {
    // Scalar elements: compared in place, as CompareValues would (NaN equals NaN, intervals
    // by their length).
    ScalarKernel k;
    VisitPhysicalType(element, [&]<typename T>() {
      k = [](const std::vector<ColumnPtr>& cols, size_t n) {
        return ListRowExec(TypeId::kBoolean, cols, n, true, [&](size_t i, Column& out) {
          const T needle = cols[1]->data<T>()[cols[1]->is_constant() ? 0 : i];
          const ListEntry e = EntryAt(*cols[0], i);
          const Column& child = cols[0]->child(0);
          const T* values = child.data<T>();
          bool found = false;
          for (uint64_t j = e.offset; j < e.offset + e.length && !found; j++) {
            if (!child.IsValid(j)) continue;
            if constexpr (std::is_same_v<T, double>) {
              found = values[j] == needle || (std::isnan(values[j]) && std::isnan(needle));
            } else if constexpr (std::is_same_v<T, StringView>) {
              found = values[j].Compare(needle) == 0;
            } else if constexpr (std::is_same_v<T, Interval>) {
              found = values[j].NormalizedMicros128() == needle.NormalizedMicros128();
            } else {
              found = values[j] == needle;
            }
          }
          out.data<uint8_t>()[i] = found ? 1 : 0;
          return true;
        });
      };
    });
    return BoundScalar{TypeId::kBoolean, {list_type, element}, std::move(k)};
  }
  ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) {
    return ListRowExec(TypeId::kBoolean, cols, n, true, [&](size_t i, Column& out) {
      const Value needle = cols[1]->GetValue(i);
      bool found = false;
      for (const Value& v : ElementsAt(*cols[0], i)) {
        if (!v.is_null() && CompareValues(v, needle) == 0) found = true;
      }
      out.data<uint8_t>()[i] = found ? 1 : 0;
      return true;
    });
  };
  return BoundScalar{TypeId::kBoolean, {list_type, element}, std::move(k)};
}

// list_concat(a, b): a NULL list counts as empty; NULL only when both are NULL. `||` on
// lists (strict) is NULL when either side is.
std::optional<BoundScalar> ResolveConcat(const std::vector<ExprPtr>& args, bool strict) {
  if (args.size() != 2) return std::nullopt;
  if (!(IsList(args[0]) || IsList(args[1])) ||
      !((IsList(args[0]) || IsNullType(args[0])) && (IsList(args[1]) || IsNullType(args[1])))) {
    return std::nullopt;
  }
  LogicalType type;
  try {
    type = CommonSuperType(args[0]->type, args[1]->type);
  } catch (const BindError&) {
    return std::nullopt;
  }
  ScalarKernel k = [type, strict](const std::vector<ColumnPtr>& cols, size_t n) {
    return ListRowExec(type, cols, n, strict, [&](size_t i, Column& out) {
      if (!cols[0]->IsValid(i) && !cols[1]->IsValid(i)) return false;
      Column& child = out.mutable_child(0);
      const size_t offset = child.size();
      for (const auto& c : cols) {
        if (!c->IsValid(i)) continue;
        const ListEntry e = EntryAt(*c, i);
        child.Append(c->child(0), e.offset, e.length);
      }
      out.list_entries()[i] = ListEntry{offset, child.size() - offset};
      return true;
    });
  };
  return BoundScalar{type, {type, type}, std::move(k)};
}

// list_sort(l[, 'ASC'|'DESC'[, 'NULLS FIRST'|'NULLS LAST']]): DuckDB's default is ascending
// with NULLs last.
std::optional<BoundScalar> ResolveSort(const std::vector<ExprPtr>& args, bool reverse) {
  if (args.empty() || args.size() > 3 || !IsList(args[0])) return std::nullopt;
  bool descending = reverse;
  bool nulls_first = false;
  for (size_t a = 1; a < args.size(); a++) {
    const Value* v = kernel::LiteralArg(args, a);
    if (v == nullptr || v->type().id() != TypeId::kVarchar) {
      throw BindError("list_sort: the order arguments must be constant strings");
    }
    const std::string word = ToLower(v->GetString());
    if (a == 1 && word == "asc") {
      descending = reverse;
    } else if (a == 1 && word == "desc") {
      descending = !reverse;
    } else if (word == "nulls first") {
      nulls_first = true;
    } else if (word == "nulls last") {
      nulls_first = false;
    } else {
      throw InvalidInputError(fmt::format("list_sort: unknown order '{}'", v->GetString()));
    }
  }
  ScalarKernel k = [descending, nulls_first](const std::vector<ColumnPtr>& cols, size_t n) {
    return RewriteLists(cols[0], n, [&](const std::vector<Value>& values) {
      std::vector<size_t> order(values.size());
      std::iota(order.begin(), order.end(), 0);
      std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
        const bool xn = values[x].is_null(), yn = values[y].is_null();
        if (xn || yn) return xn != yn && (xn == nulls_first);
        const int c = CompareValues(values[x], values[y]);
        return descending ? c > 0 : c < 0;
      });
      return order;
    });
  };
  std::vector<LogicalType> types = {args[0]->type};
  for (size_t a = 1; a < args.size(); a++) types.push_back(kVarchar);
  return BoundScalar{args[0]->type, types, std::move(k)};
}

// list_distinct(l): the distinct non-NULL elements in order of first occurrence.
std::optional<BoundScalar> ResolveDistinct(const std::vector<ExprPtr>& args) {
  if (args.size() != 1 || !IsList(args[0])) return std::nullopt;
  ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) {
    return RewriteLists(cols[0], n, [&](const std::vector<Value>& values) {
      std::vector<size_t> keep;
      for (size_t j = 0; j < values.size(); j++) {
        if (values[j].is_null()) continue;
        bool seen = false;
        for (size_t p : keep) seen |= CompareValues(values[p], values[j]) == 0;
        if (!seen) keep.push_back(j);
      }
      return keep;
    });
  };
  return BoundScalar{args[0]->type, {args[0]->type}, std::move(k)};
}

std::optional<BoundScalar> ResolveReverse(const std::vector<ExprPtr>& args) {
  if (args.size() != 1 || !IsList(args[0])) return std::nullopt;
  ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) {
    return RewriteLists(cols[0], n, [&](const std::vector<Value>& values) {
      std::vector<size_t> order(values.size());
      for (size_t j = 0; j < values.size(); j++) order[j] = values.size() - 1 - j;
      return order;
    });
  };
  return BoundScalar{args[0]->type, {args[0]->type}, std::move(k)};
}

// string_split(s, separator): VARCHAR[]; an empty separator splits into characters.
std::optional<BoundScalar> ResolveStringSplit(const std::vector<ExprPtr>& args) {
  if (args.size() != 2 || !kernel::ImplicitlyCastable(*args[0], kVarchar) ||
      !kernel::ImplicitlyCastable(*args[1], kVarchar)) {
    return std::nullopt;
  }
  const LogicalType type = LogicalType::List(kVarchar);
  ScalarKernel k = [type](const std::vector<ColumnPtr>& cols, size_t n) {
    return ListRowExec(type, cols, n, true, [&](size_t i, Column& out) {
      const std::string_view s = cols[0]->data<StringView>()[cols[0]->is_constant() ? 0 : i].view();
      const std::string_view sep =
          cols[1]->data<StringView>()[cols[1]->is_constant() ? 0 : i].view();
      Column& child = out.mutable_child(0);
      const size_t offset = child.size();
      auto add = [&](std::string_view part) {
        child.Reserve(child.size() + 1);
        child.data<StringView>()[child.size()] = child.AddString(part);
        child.SetValid(child.size());
        child.set_size(child.size() + 1);
      };
      if (sep.empty()) {
        for (size_t p = 0; p < s.size();) {
          size_t len = 1;
          const auto c = static_cast<unsigned char>(s[p]);
          if (c >= 0xF0) len = 4; else if (c >= 0xE0) len = 3; else if (c >= 0xC0) len = 2;
          add(s.substr(p, len));
          p += len;
        }
      } else {
        size_t start = 0;
        while (true) {
          const size_t at = s.find(sep, start);
          if (at == std::string_view::npos) {
            add(s.substr(start));
            break;
          }
          add(s.substr(start, at - start));
          start = at + sep.size();
        }
      }
      out.list_entries()[i] = ListEntry{offset, child.size() - offset};
      return true;
    });
  };
  return BoundScalar{type, {kVarchar, kVarchar}, std::move(k)};
}

// range(a, b[, step]) excludes b; generate_series includes it. range(b) starts at 0.
std::optional<BoundScalar> ResolveRange(const std::vector<ExprPtr>& args, bool inclusive) {
  if (args.empty() || args.size() > 3) return std::nullopt;
  for (const auto& a : args) {
    if (!kernel::ImplicitlyCastable(*a, kBigInt)) return std::nullopt;
  }
  const LogicalType type = LogicalType::List(kBigInt);
  ScalarKernel k = [type, inclusive](const std::vector<ColumnPtr>& cols, size_t n) {
    return ListRowExec(type, cols, n, true, [&](size_t i, Column& out) {
      auto arg = [&](size_t a) { return cols[a]->data<int64_t>()[cols[a]->is_constant() ? 0 : i]; };
      int64_t start = 0, stop = 0, step = 1;
      if (cols.size() == 1) {
        stop = arg(0);
      } else {
        start = arg(0);
        stop = arg(1);
        if (cols.size() == 3) step = arg(2);
      }
      if (step == 0) throw InvalidInputError("the step of range must not be 0");
      Column& child = out.mutable_child(0);
      const size_t offset = child.size();
      auto more = [&](__int128 v) {
        if (step > 0) return inclusive ? v <= stop : v < stop;
        return inclusive ? v >= stop : v > stop;
      };
      for (__int128 v = start; more(v); v += step) {
        if (child.size() - offset >= (size_t{1} << 28)) {
          throw OutOfRangeError("range: the list would have more than 2^28 elements");
        }
        child.Reserve(child.size() + 1);
        child.data<int64_t>()[child.size()] = static_cast<int64_t>(v);
        child.SetValid(child.size());
        child.set_size(child.size() + 1);
      }
      out.list_entries()[i] = ListEntry{offset, child.size() - offset};
      return true;
    });
  };
  return BoundScalar{type, std::vector<LogicalType>(args.size(), kBigInt), std::move(k)};
}

}  // namespace

void RegisterListFunctions(FunctionRegistry& r) {
  for (const char* name : {"list_value", "list_pack"}) {
    r.AddScalar(name, ResolveListValue, std::string(name) + "(ANY, ...)");
  }
  for (const char* name : {"len", "length", "array_length"}) {
    r.AddScalar(name, ResolveLength, std::string(name) + "(LIST)");
  }
  for (const char* name : {"list_extract", "list_element", "array_extract"}) {
    r.AddScalar(name, ResolveExtract, std::string(name) + "(LIST, BIGINT)");
  }
  for (const char* name : {"list_contains", "list_has", "array_contains", "array_has"}) {
    r.AddScalar(name, ResolveContains, std::string(name) + "(LIST, ANY)");
  }
  for (const char* name : {"list_concat", "list_cat", "array_concat", "array_cat"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& a) { return ResolveConcat(a, false); },
                std::string(name) + "(LIST, LIST)");
  }
  r.AddScalar("||", [](const std::vector<ExprPtr>& a) { return ResolveConcat(a, true); },
              "||(LIST, LIST)");
  for (const char* name : {"list_sort", "array_sort"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& a) { return ResolveSort(a, false); },
                std::string(name) + "(LIST[, VARCHAR order[, VARCHAR nulls]])");
  }
  for (const char* name : {"list_reverse_sort", "array_reverse_sort"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& a) { return ResolveSort(a, true); },
                std::string(name) + "(LIST[, VARCHAR nulls])");
  }
  for (const char* name : {"list_distinct", "array_distinct"}) {
    r.AddScalar(name, ResolveDistinct, std::string(name) + "(LIST)");
  }
  for (const char* name : {"list_reverse", "array_reverse"}) {
    r.AddScalar(name, ResolveReverse, std::string(name) + "(LIST)");
  }
  for (const char* name : {"string_split", "str_split", "string_to_array", "split"}) {
    r.AddScalar(name, ResolveStringSplit, std::string(name) + "(VARCHAR, VARCHAR)");
  }
  r.AddScalar(
      "unnest",
      [](const std::vector<ExprPtr>&) -> std::optional<BoundScalar> {
        throw BindError("UNNEST is only allowed in the SELECT list");
      },
      "unnest(LIST)");
  r.AddScalar("range", [](const std::vector<ExprPtr>& a) { return ResolveRange(a, false); },
              "range([BIGINT start, ]BIGINT stop[, BIGINT step])");
  r.AddScalar("generate_series",
              [](const std::vector<ExprPtr>& a) { return ResolveRange(a, true); },
              "generate_series([BIGINT start, ]BIGINT stop[, BIGINT step])");
}

}  // namespace sluice
