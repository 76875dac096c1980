#pragma once

#include <string>
#include <vector>

#include "vector/batch.h"
#include "vector/schema.h"

namespace sluice {

// Renders results for people and for pipes. All take rows in batch order.

// A boxed text table with a header and column types, at most `max_rows` rows (a footer
// says how many more there were).
std::string FormatTable(const Schema& schema, const std::vector<Batch>& batches,
                        size_t max_rows = SIZE_MAX);
// CSV with a header line, NULL as an empty field, RFC 4180 quoting.
std::string FormatCsv(const Schema& schema, const std::vector<Batch>& batches);
// JSON lines: one object per row, NULL as null, numbers unquoted.
std::string FormatJson(const Schema& schema, const std::vector<Batch>& batches);
// A Markdown (GitHub) table: a header row, a rule with alignment, one row per line.
std::string FormatMarkdown(const Schema& schema, const std::vector<Batch>& batches);
// One field per line, "name = value" with the names right-aligned; rows apart by a blank line.
std::string FormatLines(const Schema& schema, const std::vector<Batch>& batches);
// A header line and one line per row, fields joined by `separator`, NULL as empty.
std::string FormatList(const Schema& schema, const std::vector<Batch>& batches,
                       const std::string& separator = "|");

}  // namespace sluice
