#include "io/csv_reader.h"

#include <fmt/format.h>

#include "common/error.h"
#include "common/memory.h"
#include "common/strings.h"
#include "io/csv_split_reader.h"
#include "io/file.h"

namespace sluice {

namespace {

// The type both files' values fit in, for a column inferred differently in two files.
LogicalType UnifyTypes(const LogicalType& a, const LogicalType& b) {
  if (a == b) return a;
  auto is = [&](TypeId x, TypeId y) {
    return (a.id() == x && b.id() == y) || (a.id() == y && b.id() == x);
  };
  if (is(TypeId::kBigInt, TypeId::kDouble)) return TypeId::kDouble;
  if (is(TypeId::kDate, TypeId::kTimestamp)) return TypeId::kTimestamp;
  return TypeId::kVarchar;
}

void ValidateOptions(const CsvOptions& options) {
  auto bad = [](char c) { return c == '\n' || c == '\r' || c == '\0'; };
  if (options.delimiter && (bad(*options.delimiter) || *options.delimiter == options.quote)) {
    throw InvalidInputError("CSV delimiter must be a character other than the quote and newline");
  }
  if (bad(options.quote)) throw InvalidInputError("CSV quote must not be a newline");
  if (options.escape && bad(*options.escape)) {
    throw InvalidInputError("CSV escape must not be a newline");
  }
  if (options.max_line_size < 1 || options.max_line_size > (256 << 20)) {
    throw InvalidInputError(fmt::format("max_line_size must be between 1 and 256MB, not {}",
                                        options.max_line_size));
  }
  if (options.target_split_bytes < 1) {
    throw InvalidInputError("CSV target split size must be positive");
  }
  if (options.skip < 0) throw InvalidInputError("CSV skip must not be negative");
}

// Checks that a later file has the columns of the first one, and widens inferred types.
void MergeLayout(const CsvScanFile& first, const CsvScanFile& file, bool header,
                 std::vector<LogicalType>* types) {
  const auto& want = first.layout.names;
  const auto& have = file.layout.names;
  if (want.size() != have.size()) {
    throw InvalidInputError(fmt::format(
        "CSV file '{}' has {} columns but '{}' has {}: all files must have the same columns",
        file.path, have.size(), first.path, want.size()));
  }
  for (size_t i = 0; i < want.size(); i++) {
    if (header && ToLower(want[i]) != ToLower(have[i])) {
      throw InvalidInputError(fmt::format(
          "CSV file '{}' names column {} \"{}\" but '{}' names it \"{}\": all files must have "
          "the same columns",
          file.path, i + 1, have[i], first.path, want[i]));
    }
    if (!first.layout.type_fixed[i]) {
      (*types)[i] = UnifyTypes((*types)[i], file.layout.types[i]);
    }
  }
}

}  // namespace

std::unique_ptr<CsvSource> CsvSource::Open(const std::string& path_or_glob,
                                           const CsvOptions& options) {
  ValidateOptions(options);
  std::unique_ptr<CsvSource> source(new CsvSource());
  source->pattern_ = path_or_glob;
  source->paths_ = ExpandPaths(path_or_glob);

  int first = -1;
  std::vector<LogicalType> types;
  for (const std::string& path : source->paths_) {
    const FileReader reader(path);
    CsvScanFile file;
    file.path = path;
    file.size = reader.size();
    const CsvFileLayout* reference = first >= 0 ? &source->files_[first].layout : nullptr;
    file.layout = SniffCsv(reader, options, reference);
    source->total_bytes_ += file.size;
    if (!file.layout.empty) {
      if (first < 0) {
        first = static_cast<int>(source->files_.size());
        types = file.layout.types;
      } else {
        MergeLayout(source->files_[first], file, file.layout.header, &types);
      }
    }
    source->files_.push_back(std::move(file));
  }

  Schema schema;
  if (first >= 0) {
    const CsvFileLayout& layout = source->files_[first].layout;
    for (size_t i = 0; i < layout.names.size(); i++) {
      Field field;
      field.name = layout.names[i];
      field.type = types[i];
      schema.Add(std::move(field));
    }
    source->dialect_ = layout.dialect;
    source->header_ = layout.header;
  } else if (options.schema) {
    schema = *options.schema;
  } else {
    throw InvalidInputError(fmt::format(
        "Cannot detect the columns of '{}': the files are empty (give a schema)", path_or_glob));
  }

  source->rejects_ = std::make_unique<CsvRejects>(options.rejects_path);
  CsvScanContext& context = source->context_;
  context.schema = std::move(schema);
  context.null_strings = options.null_strings;
  context.ignore_errors = options.ignore_errors;
  context.max_line_size = options.max_line_size;
  context.date_format = TemporalFormat(options.date_format);
  context.timestamp_format = TemporalFormat(options.timestamp_format);
  context.rejects = source->rejects_.get();
  source->BuildSplits(options.target_split_bytes);
  return source;
}

void CsvSource::BuildSplits(int64_t target_split_bytes) {
  for (int f = 0; f < static_cast<int>(files_.size()); f++) {
    const CsvScanFile& file = files_[f];
    if (file.layout.empty) continue;
    const int64_t begin = file.layout.data_start;
    const int64_t bytes = file.size - begin;
    if (bytes <= 0) continue;
    if (file.layout.multiline || bytes <= target_split_bytes) {
      splits_.push_back({f, begin, file.size, true});
      continue;
    }
    const int64_t count = (bytes + target_split_bytes - 1) / target_split_bytes;
    for (int64_t k = 0; k < count; k++) {
      const int64_t start = begin + k * target_split_bytes;
      const int64_t end = std::min(file.size, start + target_split_bytes);
      splits_.push_back({f, start, end, k == 0});
    }
  }
}

std::unique_ptr<BatchStream> CsvSource::Open(int split, const std::vector<int>& columns) const {
  SLUICE_CHECK(split >= 0 && split < num_splits(), "split={} splits={}", split, num_splits());
  for (const int c : columns) {
    SLUICE_CHECK(c >= 0 && c < static_cast<int>(context_.schema.size()), "column={}", c);
  }
  const CsvSplit& s = splits_[split];
  return std::make_unique<CsvSplitReader>(context_, files_[s.file], s, columns);
}

std::string CsvSource::Describe() const {
  return fmt::format("csv '{}' ({} file{}, {})", pattern_, files_.size(),
                     files_.size() == 1 ? "" : "s", FormatBytes(total_bytes_));
}

}  // namespace sluice
