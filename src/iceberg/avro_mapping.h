#pragma once

#include <map>
#include <string>

#include "avro/avro_schema.h"
#include "avro/avro_value.h"
#include "iceberg/iceberg_type.h"
#include "types/value.h"

namespace sluice::iceberg {

// How Iceberg types are stored in Avro (spec: "Avro" in "Appendix A: Format-specific
// Requirements"): date as int/date, timestamps as long/timestamp-micros, decimals as fixed
// of the fewest bytes for their precision, uuid as fixed[16].
avro::SchemaPtr AvroSchemaOf(const Type& type, const std::string& record_name);

// A Sluice value (maybe NULL) as an Avro datum of `type`, and back.
avro::Value ToAvroValue(const Type& type, const Value& v);
Value FromAvroValue(const Type& type, const avro::Value& v, const std::string& where);

// The fields of an Avro record found by their Iceberg field id (the "field-id" attribute),
// or by name in files written without ids.
class RecordFields {
 public:
  explicit RecordFields(const avro::Schema& record);
  // The index in the record of field `field_id` (or named `name`), or -1.
  int Index(int field_id, const std::string& name) const;
  // The field's value, or a null datum when the record lacks the field.
  const avro::Value& Get(const avro::Value& record, int field_id, const std::string& name) const;
  // The schema of that field. REQUIRES: Index(...) >= 0.
  const avro::Schema& SchemaOf(int field_id, const std::string& name) const;

 private:
  const avro::Schema& record_;
  std::map<int, int> by_id_;
};

}  // namespace sluice::iceberg
