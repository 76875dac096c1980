// MAP functions, as DuckDB's: map (and MAP {k: v}), map_from_entries, m[k] /
// map_extract_value, map_extract / element_at, map_keys, map_values, map_entries,
// cardinality, map_contains(_value, _entry) and map_concat. A MAP column is laid out as a
// LIST of STRUCT(key, value) entries, so keys, values and entries are shared child columns.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "common/error.h"
#include "expr/binder.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"
#include "types/physical_dispatch.h"

namespace sluice {

namespace {

bool IsMap(const ExprPtr& e) { return e->type.id() == TypeId::kMap; }

const ListEntry& EntryAt(const Column& list, size_t i) {
  return list.list_entries()[list.is_constant() ? 0 : i];
}

// Throws as DuckDB does when keys[offset, offset + n) hold a NULL or a repeated key.
void CheckMapKeys(const Column& keys, uint64_t offset, uint64_t n) {
  std::vector<Value> values;
  values.reserve(n);
  for (uint64_t j = offset; j < offset + n; j++) {
    if (!keys.IsValid(j)) throw InvalidInputError("Map keys can not be NULL.");
    values.push_back(keys.GetValue(j));
  }
  std::sort(values.begin(), values.end(),
            [](const Value& a, const Value& b) { return CompareValues(a, b) < 0; });
  for (size_t j = 1; j < values.size(); j++) {
    if (CompareValues(values[j - 1], values[j]) == 0) {
      throw InvalidInputError("Map keys must be unique.");
    }
  }
}

// A MAP column of `type` with m rows whose entries are the rows sel[begin[i]..begin[i+1]) of
// `keys` and `values` (NULL where null[i]). Checks the keys of every row.
ColumnPtr BuildMap(const LogicalType& type, const Column& keys, const std::vector<uint32_t>& key_sel,
                   const Column& values, const std::vector<uint32_t>& value_sel,
                   const std::vector<size_t>& begin, const std::vector<uint8_t>& null, size_t m) {
  auto out = Column::Make(type, std::max<size_t>(m, 1));
  out->set_size(m);
  auto entries = Column::Make(type.ListChild(), std::max<size_t>(key_sel.size(), 1));
  entries->set_size(key_sel.size());
  entries->set_child(0, keys.Gather(key_sel.data(), key_sel.size()));
  entries->set_child(1, values.Gather(value_sel.data(), value_sel.size()));
  for (size_t i = 0; i < m; i++) {
    out->list_entries()[i] = ListEntry{begin[i], begin[i + 1] - begin[i]};
    if (null[i]) out->SetNull(i);
    CheckMapKeys(entries->child(0), begin[i], begin[i + 1] - begin[i]);
  }
  out->set_child(0, std::move(entries));
  return out;
}

// map(), map(keys, values): NULL when either list is NULL; the lists must be as long.
std::optional<BoundScalar> ResolveMap(const std::vector<ExprPtr>& args) {
  if (args.empty()) {
    const LogicalType type = LogicalType::Map(TypeId::kNull, TypeId::kNull);
    ScalarKernel k = [type](const std::vector<ColumnPtr>&, size_t n) -> ColumnPtr {
      return Column::MakeConstant(type, Value::Map(type, {}, {}), n);
    };
    return BoundScalar{type, {}, std::move(k)};
  }
  if (args.size() != 2) return std::nullopt;
  auto list_child = [](const ExprPtr& e) -> std::optional<LogicalType> {
    if (e->type.id() == TypeId::kList) return e->type.ListChild();
    if (e->type.id() == TypeId::kNull) return LogicalType(TypeId::kInteger);
    return std::nullopt;
  };
  const auto key = list_child(args[0]);
  const auto value = list_child(args[1]);
  if (!key || !value) return std::nullopt;
  const LogicalType type = LogicalType::Map(*key, *value);
  ScalarKernel k = [type](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const Column& keys = *cols[0];
    const Column& values = *cols[1];
    const bool all_const = kernel::AllConstant(cols);
    const size_t m = all_const ? 1 : n;
    std::vector<uint32_t> key_sel, value_sel;
    std::vector<size_t> begin = {0};
    std::vector<uint8_t> null(m, 0);
    for (size_t i = 0; i < m; i++) {
      if (!keys.IsValid(i) || !values.IsValid(i)) {
        null[i] = 1;
      } else {
        const ListEntry ke = EntryAt(keys, i), ve = EntryAt(values, i);
        if (ke.length != ve.length) {
          throw InvalidInputError("The map key list does not align with the map value list.");
        }
        for (uint64_t j = 0; j < ke.length; j++) {
          key_sel.push_back(static_cast<uint32_t>(ke.offset + j));
          value_sel.push_back(static_cast<uint32_t>(ve.offset + j));
        }
      }
      begin.push_back(key_sel.size());
    }
    ColumnPtr out = BuildMap(type, keys.child(0), key_sel, values.child(0), value_sel, begin, null, m);
    if (all_const) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{type, {LogicalType::List(*key), LogicalType::List(*value)}, std::move(k)};
}

// map_from_entries([{k: .., v: ..}, ...]): a list of two-field structs.
std::optional<BoundScalar> ResolveFromEntries(const std::vector<ExprPtr>& args) {
  if (args.size() != 1 || args[0]->type.id() != TypeId::kList) return std::nullopt;
  const LogicalType& entry = args[0]->type.ListChild();
  if (entry.id() == TypeId::kNull) {  // map_from_entries([])
    std::vector<ExprPtr> none;
    auto empty = ResolveMap(none);
    empty->arg_types = {args[0]->type};
    return empty;
  }
  if (entry.id() != TypeId::kStruct || entry.StructFields().size() != 2) return std::nullopt;
  const LogicalType type =
      LogicalType::Map(entry.StructFields()[0].type, entry.StructFields()[1].type);
  ScalarKernel k = [type](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const Column& list = *cols[0];
    const Column& structs = list.child(0);
    const size_t m = list.is_constant() ? 1 : n;
    std::vector<uint32_t> sel;
    std::vector<size_t> begin = {0};
    std::vector<uint8_t> null(m, 0);
    for (size_t i = 0; i < m; i++) {
      if (!list.IsValid(i)) {
        null[i] = 1;
      } else {
        const ListEntry e = EntryAt(list, i);
        for (uint64_t j = e.offset; j < e.offset + e.length; j++) {
          if (!structs.IsValid(j)) throw InvalidInputError("Map keys can not be NULL.");
          sel.push_back(static_cast<uint32_t>(j));
        }
      }
      begin.push_back(sel.size());
    }
    ColumnPtr out = BuildMap(type, structs.child(0), sel, structs.child(1), sel, begin, null, m);
    if (list.is_constant()) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{type, {args[0]->type}, std::move(k)};
}

// Scalar keys equal as CompareValues has them (NaN equals NaN, intervals by length).
template <typename T>
bool KeyEquals(const T& a, const T& b) {
  if constexpr (std::is_same_v<T, double>) {
    return a == b || (std::isnan(a) && std::isnan(b));
  } else if constexpr (std::is_same_v<T, StringView>) {
    return a.Compare(b) == 0;
  } else if constexpr (std::is_same_v<T, Interval>) {
    return a.NormalizedMicros128() == b.NormalizedMicros128();
  } else {
    return a == b;
  }
}

// The position in the entries column of the key equal to row `at` of `needle` (a column of
// the key type) in map row i, or -1. Scalar keys compare in place, nested ones as Values.
int64_t FindKey(const Column& map, size_t i, const Column& needle, size_t at) {
  const ListEntry e = EntryAt(map, i);
  const Column& keys = map.child(0).child(0);
  if (needle.is_constant()) at = 0;
  int64_t found = -1;
  if (!keys.type().IsNested() && keys.type().id() != TypeId::kNull) {
    VisitPhysicalType(keys.type(), [&]<typename T>() {
      const T& want = needle.data<T>()[at];
      const T* have = keys.data<T>();
      for (uint64_t j = e.offset; j < e.offset + e.length && found < 0; j++) {
        if (keys.IsValid(j) && KeyEquals(have[j], want)) found = static_cast<int64_t>(j);
      }
    });
    return found;
  }
  const Value want = needle.GetValue(at);
  for (uint64_t j = e.offset; j < e.offset + e.length && found < 0; j++) {
    if (keys.IsValid(j) && CompareValues(keys.GetValue(j), want) == 0) {
      found = static_cast<int64_t>(j);
    }
  }
  return found;
}

bool KeyArgFits(const ExprPtr& arg, const LogicalType& key) {
  return kernel::ImplicitlyCastable(*arg, key) || (arg->type.IsNumeric() && key.IsNumeric());
}

// map_extract_value(m, k) and m[k]: the value, NULL when absent. With `as_list`
// (map_extract, element_at): [value] or [].
std::optional<BoundScalar> ResolveExtract(const std::vector<ExprPtr>& args, bool as_list) {
  if (args.size() != 2 || !IsMap(args[0]) || !KeyArgFits(args[1], args[0]->type.MapKey())) {
    return std::nullopt;
  }
  const LogicalType map_type = args[0]->type;
  const LogicalType value = map_type.MapValue();
  const LogicalType rtype = as_list ? LogicalType::List(value) : value;
  ScalarKernel k = [rtype, as_list](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const Column& map = *cols[0];
    const Column& key = *cols[1];
    const bool all_const = kernel::AllConstant(cols);
    const size_t m = all_const ? 1 : n;
    std::vector<uint32_t> sel;
    std::vector<size_t> begin = {0};
    std::vector<uint8_t> null(m, 1);
    for (size_t i = 0; i < m; i++) {
      if (map.IsValid(i) && key.IsValid(i)) {
        null[i] = 0;
        const int64_t at = FindKey(map, i, key, i);
        if (at >= 0) sel.push_back(static_cast<uint32_t>(at));
      }
      begin.push_back(sel.size());
    }
    const Column& values = map.child(0).child(1);
    std::shared_ptr<Column> out;
    if (as_list) {
      out = Column::Make(rtype, std::max<size_t>(m, 1));
      out->set_size(m);
      out->set_child(0, values.Gather(sel.data(), sel.size()));
      for (size_t i = 0; i < m; i++) {
        out->list_entries()[i] = ListEntry{begin[i], begin[i + 1] - begin[i]};
        if (null[i]) out->SetNull(i);
      }
    } else {
      std::vector<uint32_t> rows(m, 0);
      for (size_t i = 0; i < m; i++) {
        if (begin[i + 1] > begin[i]) rows[i] = sel[begin[i]];
      }
      if (sel.empty()) return kernel::NullConstant(rtype, n);
      out = values.Gather(rows.data(), m);
      for (size_t i = 0; i < m; i++) {
        if (begin[i + 1] == begin[i]) out->SetNull(i);
      }
    }
    if (all_const) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{rtype, {map_type, map_type.MapKey()}, std::move(k)};
}

// map_keys / map_values / map_entries: a LIST over the map's own key, value or entry column.
std::optional<BoundScalar> ResolvePart(const std::vector<ExprPtr>& args, int part) {
  if (args.size() != 1 || !IsMap(args[0])) return std::nullopt;
  const LogicalType& map_type = args[0]->type;
  const LogicalType element = part == 0   ? map_type.MapKey()
                              : part == 1 ? map_type.MapValue()
                                          : map_type.ListChild();
  const LogicalType rtype = LogicalType::List(element);
  ScalarKernel k = [rtype, part](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const Column& map = *cols[0];
    const size_t m = map.is_constant() ? 1 : n;
    auto out = Column::Make(rtype, std::max<size_t>(m, 1));
    out->set_size(m);
    std::memcpy(out->list_entries(), map.list_entries(), m * sizeof(ListEntry));
    for (size_t i = 0; i < m; i++) {
      if (!map.IsValid(i)) out->SetNull(i);
    }
    const auto& entries = map.child_ptr(0);
    out->set_child(0, part == 2 ? entries : entries->child_ptr(static_cast<size_t>(part)));
    if (map.is_constant()) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{rtype, {map_type}, std::move(k)};
}

std::optional<BoundScalar> ResolveCardinality(const std::vector<ExprPtr>& args) {
  if (args.size() != 1 || !IsMap(args[0])) return std::nullopt;
  ScalarKernel k = [](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    return kernel::RowExec(TypeId::kBigInt, cols, n, [&](size_t i, Column& out) {
      out.data<int64_t>()[i] = static_cast<int64_t>(EntryAt(*cols[0], i).length);
      return true;
    });
  };
  return BoundScalar{TypeId::kBigInt, {args[0]->type}, std::move(k)};
}

// map_contains(m, k), map_contains_value(m, v), map_contains_entry(m, k, v): NULL when an
// argument is NULL.
std::optional<BoundScalar> ResolveContains(const std::vector<ExprPtr>& args, int what) {
  const size_t want = what == 2 ? 3 : 2;
  if (args.size() != want || !IsMap(args[0])) return std::nullopt;
  const LogicalType& map_type = args[0]->type;
  std::vector<LogicalType> types = {map_type};
  if (what != 1) types.push_back(map_type.MapKey());
  if (what != 0) types.push_back(map_type.MapValue());
  for (size_t a = 1; a < args.size(); a++) {
    if (!KeyArgFits(args[a], types[a])) return std::nullopt;
  }
  ScalarKernel k = [what](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    return kernel::RowExec(TypeId::kBoolean, cols, n, [&](size_t i, Column& out) {
      const Column& map = *cols[0];
      bool found = false;
      if (what == 1) {
        const Value first = cols[1]->GetValue(i);
        const ListEntry e = EntryAt(map, i);
        const Column& values = map.child(0).child(1);
        for (uint64_t j = e.offset; j < e.offset + e.length && !found; j++) {
          const Value v = values.GetValue(j);
          found = !v.is_null() && CompareValues(v, first) == 0;
        }
      } else {
        const int64_t at = FindKey(map, i, *cols[1], i);
        found = at >= 0;
        if (found && what == 2) {
          const Value v = map.child(0).child(1).GetValue(static_cast<size_t>(at));
          found = !v.is_null() && CompareValues(v, cols[2]->GetValue(i)) == 0;
        }
      }
      out.data<uint8_t>()[i] = found ? 1 : 0;
      return true;
    });
  };
  return BoundScalar{TypeId::kBoolean, types, std::move(k)};
}

// map_concat(m1, m2, ...): keys in order of first appearance, each with its last value; a
// NULL map counts as empty; NULL only when every map is.
std::optional<BoundScalar> ResolveConcat(const std::vector<ExprPtr>& args) {
  if (args.empty()) return std::nullopt;
  LogicalType type = TypeId::kNull;
  for (const auto& a : args) {
    if (!IsMap(a) && a->type.id() != TypeId::kNull) return std::nullopt;
    try {
      type = CommonSuperType(type, a->type);
    } catch (const BindError&) {
      return std::nullopt;
    }
  }
  if (type.id() != TypeId::kMap) return std::nullopt;
  ScalarKernel k = [type](const std::vector<ColumnPtr>& cols, size_t n) -> ColumnPtr {
    const bool all_const = kernel::AllConstant(cols);
    const size_t m = all_const ? 1 : n;
    auto out = Column::Make(type, std::max<size_t>(m, 1));
    for (size_t i = 0; i < m; i++) {
      std::vector<Value> keys, values;
      bool any = false;
      for (const auto& c : cols) {
        const Value map = c->GetValue(i);
        if (map.is_null()) continue;
        any = true;
        for (const Value& entry : map.GetChildren()) {
          const Value& key = entry.GetChildren()[0];
          auto at = std::find_if(keys.begin(), keys.end(),
                                 [&](const Value& k) { return CompareValues(k, key) == 0; });
          if (at == keys.end()) {
            keys.push_back(key);
            values.push_back(entry.GetChildren()[1]);
          } else {
            values[static_cast<size_t>(at - keys.begin())] = entry.GetChildren()[1];
          }
        }
      }
      out->SetValue(i, any ? Value::Map(type, keys, values) : Value::Null(type));
    }
    out->set_size(m);
    if (all_const) return kernel::ToConstant(*out, n);
    return out;
  };
  return BoundScalar{type, std::vector<LogicalType>(args.size(), type), std::move(k)};
}

}  // namespace

void RegisterMapFunctions(FunctionRegistry& r) {
  r.AddScalar("map", ResolveMap, "map([LIST keys, LIST values])");
  r.AddScalar("map_from_entries", ResolveFromEntries, "map_from_entries(STRUCT(k, v)[])");
  for (const char* name : {"map_extract_value", "array_extract"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& a) { return ResolveExtract(a, false); },
                std::string(name) + "(MAP(K, V), K) -> V");
  }
  for (const char* name : {"map_extract", "element_at"}) {
    r.AddScalar(name, [](const std::vector<ExprPtr>& a) { return ResolveExtract(a, true); },
                std::string(name) + "(MAP(K, V), K) -> V[]");
  }
  r.AddScalar("map_keys", [](const std::vector<ExprPtr>& a) { return ResolvePart(a, 0); },
              "map_keys(MAP(K, V)) -> K[]");
  r.AddScalar("map_values", [](const std::vector<ExprPtr>& a) { return ResolvePart(a, 1); },
              "map_values(MAP(K, V)) -> V[]");
  r.AddScalar("map_entries", [](const std::vector<ExprPtr>& a) { return ResolvePart(a, 2); },
              "map_entries(MAP(K, V)) -> STRUCT(key K, value V)[]");
  r.AddScalar("cardinality", ResolveCardinality, "cardinality(MAP)");
  r.AddScalar("map_contains", [](const std::vector<ExprPtr>& a) { return ResolveContains(a, 0); },
              "map_contains(MAP(K, V), K)");
  r.AddScalar("map_contains_value",
              [](const std::vector<ExprPtr>& a) { return ResolveContains(a, 1); },
              "map_contains_value(MAP(K, V), V)");
  r.AddScalar("map_contains_entry",
              [](const std::vector<ExprPtr>& a) { return ResolveContains(a, 2); },
              "map_contains_entry(MAP(K, V), K, V)");
  r.AddScalar("map_concat", ResolveConcat, "map_concat(MAP, ...)");
}

}  // namespace sluice
