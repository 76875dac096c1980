#include "expr/function_registry.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include <mutex>

#include "common/error.h"
#include "common/strings.h"
#include "expr/scalar_functions.h"

namespace sluice {

// Defined by the aggregates module (aggregates*.cpp); a weak empty stand-in links when that
// module is absent.
void RegisterAggregateFunctions();

FunctionRegistry& FunctionRegistry::Global() {
  static FunctionRegistry registry;
  return registry;
}

void FunctionRegistry::AddScalar(const std::string& name, ScalarResolver resolver,
                                 std::string signatures) {
  ScalarEntry& entry = scalars_[ToLower(name)];
  entry.resolvers.push_back(std::move(resolver));
  if (!entry.signatures.empty()) entry.signatures += ", ";
  entry.signatures += signatures;
}

void FunctionRegistry::AddAggregate(const std::string& name, AggregateResolver resolver,
                                    std::string signatures) {
  AggregateEntry& entry = aggregates_[ToLower(name)];
  entry.resolvers.push_back(std::move(resolver));
  if (!entry.signatures.empty()) entry.signatures += ", ";
  entry.signatures += signatures;
}

bool FunctionRegistry::HasScalar(const std::string& name) const {
  return scalars_.count(ToLower(name)) != 0;
}

bool FunctionRegistry::HasAggregate(const std::string& name) const {
  return aggregates_.count(ToLower(name)) != 0;
}

namespace {

std::string ArgTypeList(const std::vector<LogicalType>& types) {
  std::vector<std::string> names;
  for (const auto& t : types) names.push_back(t.ToString());
  return Join(names, ", ");
}

std::vector<std::string> AllNames(const std::vector<std::string>& a,
                                  const std::vector<std::string>& b) {
  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

}  // namespace

BoundScalar FunctionRegistry::ResolveScalar(const std::string& name,
                                            const std::vector<ExprPtr>& args) const {
  const std::string key = ToLower(name);
  auto it = scalars_.find(key);
  if (it == scalars_.end()) {
    std::vector<std::string> aggregate_names;
    for (const auto& [n, e] : aggregates_) aggregate_names.push_back(n);
    throw BindError(fmt::format("Scalar Function with name {} does not exist!{}", name,
                                DidYouMean(key, AllNames(ScalarNames(), aggregate_names))));
  }
  for (const auto& resolver : it->second.resolvers) {
    if (auto bound = resolver(args)) return std::move(*bound);
  }
  std::vector<LogicalType> types;
  for (const auto& a : args) types.push_back(a->type);
  throw BindError(fmt::format(
      "No function matches the given name and argument types '{}({})'. You might need to add "
      "explicit type casts.\n\tCandidate functions: {}",
      key, ArgTypeList(types), it->second.signatures));
}

std::shared_ptr<const AggregateFunction> FunctionRegistry::ResolveAggregate(
    const std::string& name, const std::vector<LogicalType>& arg_types, bool distinct) const {
  const std::string key = ToLower(name);
  auto it = aggregates_.find(key);
  if (it == aggregates_.end()) {
    std::vector<std::string> aggregate_names;
    for (const auto& [n, e] : aggregates_) aggregate_names.push_back(n);
    throw BindError(fmt::format("Aggregate Function with name {} does not exist!{}", name,
                                DidYouMean(key, aggregate_names)));
  }
  for (const auto& resolver : it->second.resolvers) {
    if (auto f = resolver(arg_types, distinct)) return f;
  }
  throw BindError(fmt::format(
      "No function matches the given name and argument types '{}({})'. You might need to add "
      "explicit type casts.\n\tCandidate functions: {}",
      key, ArgTypeList(arg_types), it->second.signatures));
}

std::vector<std::string> FunctionRegistry::ScalarNames() const {
  std::vector<std::string> names;
  for (const auto& [name, entry] : scalars_) names.push_back(name);
  return names;
}

std::vector<FunctionRegistry::Listing> FunctionRegistry::List() const {
  std::vector<Listing> out;
  for (const auto& [name, entry] : scalars_) out.push_back({name, false, entry.signatures});
  for (const auto& [name, entry] : aggregates_) out.push_back({name, true, entry.signatures});
  std::sort(out.begin(), out.end(), [](const Listing& a, const Listing& b) {
    return std::tie(a.name, a.aggregate) < std::tie(b.name, b.aggregate);
  });
  return out;
}

void RegisterBuiltinFunctions() {
  // call_once makes registration idempotent and safe when several threads start sessions.
  static std::once_flag once;
  std::call_once(once, [] {
    FunctionRegistry& r = FunctionRegistry::Global();
    RegisterListFunctions(r);  // first: its overloads take only LIST arguments (||, length)
    RegisterStructFunctions(r);
    RegisterMapFunctions(r);
    RegisterArithmeticFunctions(r);
    RegisterComparisonFunctions(r);
    RegisterBlobFunctions(r);  // before the string functions: BLOB || BLOB is a BLOB
    RegisterStringFunctions(r);
    RegisterStringCodeFunctions(r);
    RegisterLikeFunctions(r);
    RegisterMathFunctions(r);
    RegisterTimestampTzFunctions(r);  // before the TIMESTAMP overloads it rebinds to
    RegisterDateTimeFunctions(r);
    RegisterJsonFunctions(r);
    RegisterTypeofFunction(r);
    RegisterAggregateFunctions();
  });
}

}  // namespace sluice
