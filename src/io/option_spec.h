#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "types/logical_type.h"
#include "types/value.h"

namespace sluice {

// The kind of value an option takes; user values are converted to it when they are set.
enum class OptionType {
  kBoolean,    // true/false, 1/0, yes/no, on/off
  kCharacter,  // one character ('\t' for tab)
  kInteger,    // a BIGINT
  kString,     // any text
  kColumns,    // 'name TYPE, name DECIMAL(10,2)'
};

// "BOOLEAN", "CHARACTER", ... for errors and documentation.
const char* OptionTypeName(OptionType type);

// One option a format, a table function or a COPY target accepts: its type, its default
// (as text, "" when the option is unset by default, e.g. detected) and what it means.
struct OptionSpec {
  std::string name;  // lower-case
  OptionType type = OptionType::kString;
  std::string default_value;
  std::string description;
  std::vector<std::string> aliases;  // other accepted names (lower-case)
  std::vector<std::string> choices;  // when not empty: the allowed values (lower-case)
  int64_t min_value = std::numeric_limits<int64_t>::min();  // smallest kInteger accepted
};

// Option values given by a user, validated against a list of OptionSpecs: an unknown name or
// a value of the wrong type is a BindError (without a location: the binder adds it) naming
// `owner` ("function read_csv", "COPY ... TO (FORMAT csv)") and the closest option name.
// The specs must outlive this object. Not thread-safe to Set; const methods are.
class OptionValues {
 public:
  OptionValues() = default;
  // `unknown` starts the message for an unknown name ("Invalid named parameter").
  OptionValues(const std::vector<OptionSpec>* specs, std::string owner,
               std::string unknown = "Unrecognized option");

  // Stores `value` for option `name` (or an alias), converted to the option's type.
  void Set(std::string_view name, const Value& value);
  // Same, from text (COPY option words).
  void SetText(std::string_view name, const std::string& text) { Set(name, Value::Varchar(text)); }

  // Whether option `name` (its canonical name) was set.
  bool Has(std::string_view name) const { return values_.count(std::string(name)) > 0; }
  // The value set for `name`, else its default converted. REQUIRES: `name` is a known option;
  // for the default, that it is not "".
  Value Get(std::string_view name) const;
  bool Bool(std::string_view name) const { return Get(name).GetBool(); }
  int64_t Int(std::string_view name) const { return Get(name).GetInt(); }
  char Char(std::string_view name) const { return Get(name).ToString()[0]; }
  std::string String(std::string_view name) const { return Get(name).ToString(); }
  std::vector<std::pair<std::string, LogicalType>> Columns(std::string_view name) const;

  const std::vector<OptionSpec>& specs() const { return *specs_; }
  const std::string& owner() const { return owner_; }

 private:
  const OptionSpec& SpecOf(std::string_view name) const;

  const std::vector<OptionSpec>* specs_ = nullptr;
  std::string owner_;
  std::string unknown_;
  std::map<std::string, Value> values_;  // canonical name -> converted value
};

// `value` converted to what `spec` takes (a choice lower-cased, "\\t" to a tab, text to a
// number); BindError naming the option and `owner` when it does not convert.
Value ConvertOptionValue(const OptionSpec& spec, const Value& value, const std::string& owner);

// Parses "name TYPE, name DECIMAL(10,2)" (commas inside parentheses belong to the type).
// Throws InvalidInputError for an item without a type or an unknown type name.
std::vector<std::pair<std::string, LogicalType>> ParseColumnList(const std::string& text);

}  // namespace sluice
