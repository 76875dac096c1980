#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "expr/aggregate_function.h"
#include "expr/expr.h"

namespace sluice {

// A scalar function overload chosen for argument types: the kernel, its result type, and
// the types the arguments must be cast to first (the binder inserts the casts).
struct BoundScalar {
  LogicalType result_type;
  std::vector<LogicalType> arg_types;
  ScalarKernel kernel;
};

// Picks an overload for bound argument expressions (their `type` is set; literal arguments
// can be inspected to precompile, e.g. a LIKE pattern). Returns nullopt when no overload
// accepts these types.
using ScalarResolver = std::function<std::optional<BoundScalar>(const std::vector<ExprPtr>& args)>;
// Creates an aggregate for argument types, or nullptr when the types do not fit.
using AggregateResolver = std::function<std::shared_ptr<const AggregateFunction>(
    const std::vector<LogicalType>& arg_types, bool distinct)>;

// The catalogue of scalar and aggregate functions, by lower-case name. Operators are
// functions too: "+", "-", "*", "/", "%", "=", "<>", "<", "<=", ">", ">=", "||", "like",
// "ilike", "negate". Registration happens once at start-up (RegisterBuiltinFunctions);
// lookups are then thread-safe.
class FunctionRegistry {
 public:
  static FunctionRegistry& Global();

  // `signatures` is human-readable help listed when no overload matches
  // (e.g. "substring(VARCHAR, BIGINT[, BIGINT])").
  void AddScalar(const std::string& name, ScalarResolver resolver, std::string signatures);
  void AddAggregate(const std::string& name, AggregateResolver resolver, std::string signatures);

  bool HasScalar(const std::string& name) const;
  bool HasAggregate(const std::string& name) const;
  // Throws BindError: unknown function (with a suggestion) or no overload for these types
  // (listing the signatures).
  BoundScalar ResolveScalar(const std::string& name, const std::vector<ExprPtr>& args) const;
  std::shared_ptr<const AggregateFunction> ResolveAggregate(
      const std::string& name, const std::vector<LogicalType>& arg_types, bool distinct) const;

  std::vector<std::string> ScalarNames() const;

  // One registered function, for listings (duckdb_functions()).
  struct Listing {
    std::string name;
    bool aggregate = false;
    std::string signatures;
  };
  // Every scalar and aggregate function, sorted by name (operators included).
  std::vector<Listing> List() const;

 private:
  struct ScalarEntry {
    std::vector<ScalarResolver> resolvers;
    std::string signatures;
  };
  struct AggregateEntry {
    std::vector<AggregateResolver> resolvers;
    std::string signatures;
  };
  std::map<std::string, ScalarEntry> scalars_;
  std::map<std::string, AggregateEntry> aggregates_;
};

// Registers every built-in function into FunctionRegistry::Global(); idempotent.
void RegisterBuiltinFunctions();

}  // namespace sluice
