#include "vector/schema.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/strings.h"

namespace sluice {

int Schema::Find(const std::string& name, const std::string& qualifier) const {
  int found = -1;
  for (size_t i = 0; i < fields_.size(); i++) {
    if (!EqualsIgnoreCase(fields_[i].name, name)) continue;
    if (!qualifier.empty() && !EqualsIgnoreCase(fields_[i].qualifier, qualifier)) continue;
    if (found >= 0) return -2;
    found = static_cast<int>(i);
  }
  return found;
}

int Schema::IndexOf(const std::string& name) const {
  const int i = Find(name);
  if (i == -2) throw BindError(fmt::format("column name \"{}\" is ambiguous", name));
  if (i < 0) {
    throw BindError(fmt::format("column \"{}\" not found{}; columns are: {}", name,
                                DidYouMean(name, Names()), Join(Names(), ", ")));
  }
  return i;
}

std::vector<std::string> Schema::Names() const {
  std::vector<std::string> names;
  names.reserve(fields_.size());
  for (const auto& f : fields_) names.push_back(f.name);
  return names;
}

std::string Schema::ToString() const {
  std::vector<std::string> parts;
  for (const auto& f : fields_) parts.push_back(f.name + " " + f.type.ToString());
  return "(" + Join(parts, ", ") + ")";
}

bool operator==(const Schema& a, const Schema& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    if (a.field(i).name != b.field(i).name || !(a.field(i).type == b.field(i).type)) return false;
  }
  return true;
}

std::string Schema::ColumnLabel(size_t i) const {
  if (i >= fields_.size() || fields_[i].name.empty()) return "#" + std::to_string(i);
  const Field& f = fields_[i];
  return f.qualifier.empty() ? f.name : f.qualifier + "." + f.name;
}

std::string Schema::ColumnLabels(const std::vector<int>& columns) const {
  std::string out;
  for (size_t i = 0; i < columns.size(); i++) {
    if (i > 0) out += ", ";
    out += ColumnLabel(static_cast<size_t>(columns[i]));
  }
  return out;
}

}  // namespace sluice
