#include "io/option_spec.h"

#include <fmt/format.h>

#include <charconv>

#include "common/error.h"
#include "common/strings.h"

namespace sluice {

namespace {

std::string DescribeExpected(const OptionSpec& spec) {
  if (!spec.choices.empty()) return "one of " + Join(spec.choices, ", ");
  if (spec.type == OptionType::kInteger && spec.min_value == 1) return "a positive integer";
  if (spec.type == OptionType::kInteger && spec.min_value == 0) return "a non-negative integer";
  switch (spec.type) {
    case OptionType::kBoolean:
      return "a BOOLEAN (true or false)";
    case OptionType::kCharacter:
      return "a single character";
    case OptionType::kInteger:
      return "an integer";
    case OptionType::kString:
      return "a string";
    case OptionType::kColumns:
      return "a column list 'name TYPE, ...'";
  }
  return "";
}

}  // namespace

const char* OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kBoolean:
      return "BOOLEAN";
    case OptionType::kCharacter:
      return "CHARACTER";
    case OptionType::kInteger:
      return "BIGINT";
    case OptionType::kString:
      return "VARCHAR";
    case OptionType::kColumns:
      return "COLUMNS";
  }
  return "";
}

std::vector<std::pair<std::string, LogicalType>> ParseColumnList(const std::string& text) {
  std::vector<std::pair<std::string, LogicalType>> out;
  std::vector<std::string> items;
  int depth = 0;
  bool in_quotes = false;
  std::string current;
  for (char c : text) {
    if (c == '"') in_quotes = !in_quotes;
    if (c == '(' && !in_quotes) depth++;
    if (c == ')' && !in_quotes) depth--;
    if (c == ',' && depth == 0 && !in_quotes) {
      items.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  items.push_back(current);
  for (auto item : items) {
    const size_t start = item.find_first_not_of(" \t\n");
    if (start == std::string::npos) continue;
    item = item.substr(start);
    if (item[0] == '"') {  // "name" TYPE, with "" for a quote inside the name
      std::string name;
      size_t i = 1;
      for (; i < item.size(); i++) {
        if (item[i] != '"') {
          name += item[i];
        } else if (i + 1 < item.size() && item[i + 1] == '"') {
          name += '"';
          i++;
        } else {
          break;
        }
      }
      if (i >= item.size()) throw InvalidInputError(fmt::format("unclosed quote in \"{}\"", item));
      out.emplace_back(name, ParseTypeName(item.substr(i + 1)));
      continue;
    }
    const size_t space = item.find_first_of(" \t");
    if (space == std::string::npos) {
      throw InvalidInputError(fmt::format("expected 'name TYPE' in \"{}\"", item));
    }
    out.emplace_back(item.substr(0, space), ParseTypeName(item.substr(space + 1)));
  }
  return out;
}

OptionValues::OptionValues(const std::vector<OptionSpec>* specs, std::string owner,
                           std::string unknown)
    : specs_(specs), owner_(std::move(owner)), unknown_(std::move(unknown)) {}

const OptionSpec& OptionValues::SpecOf(std::string_view name) const {
  const std::string lower = ToLower(name);
  std::vector<std::string> names;
  std::vector<std::string> candidates;  // names and aliases
  if (specs_ != nullptr) {
    for (const OptionSpec& spec : *specs_) {
      if (spec.name == lower) return spec;
      for (const std::string& alias : spec.aliases) {
        if (alias == lower) return spec;
      }
      names.push_back(spec.name);
      candidates.push_back(spec.name);
      candidates.insert(candidates.end(), spec.aliases.begin(), spec.aliases.end());
    }
  }
  std::string hint = DidYouMean(lower, candidates);
  const std::string prefix = ", did you mean ";
  if (hint.rfind(prefix, 0) == 0) hint = ". Did you mean " + hint.substr(prefix.size());
  const std::string known =
      names.empty() ? " (it takes no options)" : fmt::format(" (options: {})", Join(names, ", "));
  throw BindError(fmt::format("{} \"{}\" for {}{}{}", unknown_, lower, owner_,
                              hint.empty() ? known : "", hint));
}

Value ConvertOptionValue(const OptionSpec& spec, const Value& value, const std::string& owner) {
  const std::string text = value.is_null() ? "NULL" : value.ToString();
  auto fail = [&]() -> Value {
    throw BindError(fmt::format("Invalid value '{}' for option \"{}\" of {}: expected {}", text,
                                spec.name, owner, DescribeExpected(spec)));
  };
  if (value.is_null()) return fail();
  if (!spec.choices.empty()) {
    const std::string lower = ToLower(text);
    for (const std::string& choice : spec.choices) {
      if (choice == lower) return Value::Varchar(lower);
    }
    return fail();
  }
  switch (spec.type) {
    case OptionType::kBoolean: {
      if (value.type().id() == TypeId::kBoolean) return value;
      const std::string lower = ToLower(text);
      if (lower == "true" || lower == "1" || lower == "yes" || lower == "on") {
        return Value::Boolean(true);
      }
      if (lower == "false" || lower == "0" || lower == "no" || lower == "off") {
        return Value::Boolean(false);
      }
      return fail();
    }
    case OptionType::kCharacter:
      if (text == "\\t") return Value::Varchar("\t");
      if (text.size() != 1) return fail();
      return Value::Varchar(text);
    case OptionType::kInteger: {
      int64_t n = 0;
      if (value.type().IsInteger()) {
        n = value.GetInt();
      } else {
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
        if (ec != std::errc() || end != text.data() + text.size()) return fail();
      }
      if (n < spec.min_value) return fail();
      return Value::BigInt(n);
    }
    case OptionType::kString:
      return Value::Varchar(text);
    case OptionType::kColumns:
      try {
        ParseColumnList(text);
      } catch (const InvalidInputError& e) {
        throw BindError(fmt::format("Invalid value for option \"{}\" of {}: {}", spec.name, owner,
                                    e.message()));
      }
      return Value::Varchar(text);
  }
  return fail();
}

void OptionValues::Set(std::string_view name, const Value& value) {
  const OptionSpec& spec = SpecOf(name);
  values_[spec.name] = ConvertOptionValue(spec, value, owner_);
}

Value OptionValues::Get(std::string_view name) const {
  auto it = values_.find(std::string(name));
  if (it != values_.end()) return it->second;
  const OptionSpec& spec = SpecOf(name);
  SLUICE_CHECK(!spec.default_value.empty(), "option {} of {} has no default", spec.name, owner_);
  return ConvertOptionValue(spec, Value::Varchar(spec.default_value), owner_);
}

std::vector<std::pair<std::string, LogicalType>> OptionValues::Columns(
    std::string_view name) const {
  return ParseColumnList(Get(name).ToString());
}

}  // namespace sluice
