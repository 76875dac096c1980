#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "io/data_source.h"
#include "io/data_writer.h"
#include "io/file_set_target.h"
#include "io/option_spec.h"
#include "vector/schema.h"

namespace sluice {

class FileFormat;
class FileFormatRegistry;
class ThreadPool;

// What COPY does for one FORMAT name: the options COPY ... TO and COPY ... FROM take (besides
// the generic FORMAT, PARTITION_BY and MAX_FILES_PER_PARTITION), the DataTarget COPY ... TO
// writes through (the plan's write node) and the source of COPY ... FROM. Every FileFormat is one (FormatCopyFunction); targets that
// are not file formats register their own. Implementations are immutable and thread-safe.
class CopyFunction {
 public:
  virtual ~CopyFunction() = default;

  virtual std::string name() const = 0;
  virtual const std::vector<OptionSpec>& to_options() const = 0;
  virtual const std::vector<OptionSpec>& from_options() const = 0;
  // Where COPY ... TO writes rows of `schema`: `spec` gives the path and layout.
  // REQUIRES: `options` validated against to_options(). `pool` may be null; it must outlive
  // the writes.
  virtual std::shared_ptr<const DataTarget> MakeTarget(const Schema& schema, FileSetSpec spec,
                                                       const OptionValues& options,
                                                       ThreadPool* pool) const = 0;
  // REQUIRES: `options` validated against from_options().
  virtual std::unique_ptr<DataSource> OpenSource(const std::string& pattern,
                                                 const OptionValues& options) const = 0;

  // Empty option sets; errors name "COPY ... TO (FORMAT x)".
  OptionValues NewToOptions() const;
  OptionValues NewFromOptions() const;
};

// COPY for a FileFormat: its write options, a FileSetTarget of its files, its read options
// and reader.
class FormatCopyFunction : public CopyFunction {
 public:
  // `format` must outlive this.
  explicit FormatCopyFunction(const FileFormat* format) : format_(format) {}
  std::string name() const override;
  const std::vector<OptionSpec>& to_options() const override;
  const std::vector<OptionSpec>& from_options() const override;
  std::shared_ptr<const DataTarget> MakeTarget(const Schema& schema, FileSetSpec spec,
                                               const OptionValues& options,
                                               ThreadPool* pool) const override;
  std::unique_ptr<DataSource> OpenSource(const std::string& pattern,
                                         const OptionValues& options) const override;

 private:
  const FileFormat* format_;
};

// The COPY targets by name: those registered, then one per format of a FileFormatRegistry
// (made on first use and kept). Returned pointers stay valid for the registry's lifetime.
// Thread-safe.
class CopyFunctionRegistry {
 public:
  // `formats` (may be null) must outlive the registry.
  explicit CopyFunctionRegistry(const FileFormatRegistry* formats) : formats_(formats) {}

  // Throws InvalidInputError when the name is taken (by a registered function or a format).
  void Register(std::unique_ptr<CopyFunction> function);
  // The target named `name` (any case), or nullptr.
  const CopyFunction* Find(std::string_view name) const;
  // The target named `name`; BindError "COPY format x is not supported" with a suggestion.
  const CopyFunction& Get(std::string_view name) const;
  // The target a COPY ... TO `path` without FORMAT writes: by the path's extension, else CSV.
  const CopyFunction& ForTarget(const std::string& path) const;
  // The target COPY ... FROM `pattern` without FORMAT reads: the files' sniffed format.
  const CopyFunction& ForSource(const std::string& pattern) const;
  std::vector<std::string> Names() const;

 private:
  const FileFormatRegistry* formats_;
  mutable std::shared_mutex mutex_;
  // Registered targets and the format adapters made so far, by name.
  mutable std::map<std::string, std::unique_ptr<CopyFunction>> functions_;
};

// The process-wide registry over FileFormats().
CopyFunctionRegistry& CopyFunctions();

}  // namespace sluice
