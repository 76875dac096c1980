#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "types/value.h"
#include "vector/schema.h"

namespace sluice::stream {

// Turns records ('format' = 'json' objects or 'csv' lines) into rows of a source's columns.
// JSON: fields by column name, exact or else ignoring case (a missing one is NULL); numbers, strings and booleans cast
// to the column type; a number for a TIMESTAMP column is epoch milliseconds. CSV: the
// columns in declared order, RFC 4180 quoting, an empty field is NULL. Thread-compatible.
class RecordDecoder {
 public:
  // Throws InvalidInputError for an unknown format.
  RecordDecoder(Schema schema, const std::string& format);

  // The row of `payload`, or false with `error` saying what is wrong with it.
  bool Decode(const std::string& payload, std::vector<Value>& row, std::string& error) const;

 private:
  bool DecodeJson(const std::string& payload, std::vector<Value>& row, std::string& error) const;
  bool DecodeCsv(const std::string& payload, std::vector<Value>& row, std::string& error) const;

  Schema schema_;
  std::unordered_map<std::string, size_t> exact_;   // column name -> index
  std::unordered_map<std::string, size_t> folded_;  // lower-case column name -> index
  bool json_ = true;
};

}  // namespace sluice::stream
