#include "sql/keywords.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sluice::sql {
namespace {

// Sorted, for binary search.
constexpr std::array<std::string_view, 65> kReservedKeywords = {
    "all",     "and",     "anti",      "any",     "as",     "asc",        "between", "both",
    "case",    "cast",    "check",     "collate", "column", "constraint", "create",  "cross",
    "default", "desc",    "distinct",  "else",    "end",    "except",     "false",   "fetch",
    "for",     "foreign", "from",      "full",    "grant",  "group",      "having",  "ilike",
    "in",      "inner",   "intersect", "into",    "is",     "join",       "lateral", "left",
    "like",    "limit",   "natural",   "not",     "null",   "offset",     "on",      "or",
    "order",   "outer",   "qualify",   "returning", "right", "select",   "semi",    "table",
    "then",
    "true",    "union",   "using",     "values",  "when",   "where",      "window",  "with",
};

constexpr std::array<std::pair<std::string_view, std::string_view>, 39> kTypeNames = {{
    {"bigint", "BIGINT"},     {"blob", "BLOB"},         {"bool", "BOOLEAN"},
    {"boolean", "BOOLEAN"},   {"bpchar", "VARCHAR"},    {"char", "VARCHAR"},
    {"character", "VARCHAR"}, {"date", "DATE"},         {"datetime", "TIMESTAMP"},
    {"dec", "DECIMAL"},       {"decimal", "DECIMAL"},   {"double", "DOUBLE"},
    {"float", "REAL"},        {"float4", "REAL"},       {"float8", "DOUBLE"},
    {"hugeint", "HUGEINT"},   {"int", "INTEGER"},       {"int1", "TINYINT"},
    {"int2", "SMALLINT"},     {"int4", "INTEGER"},      {"int8", "BIGINT"},
    {"integer", "INTEGER"},   {"interval", "INTERVAL"}, {"numeric", "DECIMAL"},
    {"real", "REAL"},         {"smallint", "SMALLINT"}, {"string", "VARCHAR"},
    {"text", "VARCHAR"},      {"time", "TIME"},         {"timestamp", "TIMESTAMP"},
    {"tinyint", "TINYINT"},   {"varchar", "VARCHAR"},   {"long", "BIGINT"},
    {"short", "SMALLINT"},    {"bytea", "BLOB"},        {"uuid", "UUID"},
    {"binary", "BLOB"},       {"varbinary", "BLOB"},    {"timestamptz", "TIMESTAMPTZ"},
}};

}  // namespace

bool IsReservedKeyword(std::string_view word) {
  return std::binary_search(kReservedKeywords.begin(), kReservedKeywords.end(), word);
}

std::string_view CanonicalTypeName(std::string_view word) {
  for (const auto& [spelling, canonical] : kTypeNames) {
    if (spelling == word) return canonical;
  }
  return {};
}

}  // namespace sluice::sql
