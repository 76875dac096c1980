#pragma once

#include <optional>
#include <string>
#include <vector>

#include "types/logical_type.h"

namespace sluice {

// A named, typed column of a relation. `qualifier` is the table name or alias the column
// came from (for t.col references in SQL); empty for computed columns.
struct Field {
  std::string name;
  LogicalType type;
  bool nullable = true;
  std::string qualifier;
};

// The ordered fields of a relation (a plan node's output, a file, a table).
class Schema {
 public:
  Schema() = default;
  explicit Schema(std::vector<Field> fields) : fields_(std::move(fields)) {}

  size_t size() const { return fields_.size(); }
  const Field& field(size_t i) const { return fields_[i]; }
  const std::vector<Field>& fields() const { return fields_; }
  std::vector<Field>& mutable_fields() { return fields_; }
  void Add(Field field) { fields_.push_back(std::move(field)); }

  // The index of the column named `name` (case-insensitive), optionally qualified.
  // Returns -1 when absent and -2 when the name is ambiguous.
  int Find(const std::string& name, const std::string& qualifier = "") const;
  // Like Find, but throws BindError with a "did you mean" suggestion.
  int IndexOf(const std::string& name) const;
  std::vector<std::string> Names() const;
  std::string ToString() const;
  // How EXPLAIN names column i: "qualifier.name" (or the name alone), "#i" when unnamed.
  std::string ColumnLabel(size_t i) const;
  // ColumnLabel of each of `columns`, joined by ", ".
  std::string ColumnLabels(const std::vector<int>& columns) const;

  friend bool operator==(const Schema& a, const Schema& b);

 private:
  std::vector<Field> fields_;
};

}  // namespace sluice
