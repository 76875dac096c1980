#include "io/copy_function.h"

#include <fmt/format.h>

#include <algorithm>
#include <mutex>

#include "common/error.h"
#include "common/strings.h"
#include "io/file_format_registry.h"

namespace sluice {

OptionValues CopyFunction::NewToOptions() const {
  return OptionValues(&to_options(), fmt::format("COPY ... TO (FORMAT {})", name()));
}

OptionValues CopyFunction::NewFromOptions() const {
  return OptionValues(&from_options(), fmt::format("COPY ... FROM (FORMAT {})", name()));
}

std::string FormatCopyFunction::name() const { return format_->name(); }

const std::vector<OptionSpec>& FormatCopyFunction::to_options() const {
  return format_->write_options();
}

const std::vector<OptionSpec>& FormatCopyFunction::from_options() const {
  return format_->read_options();
}

std::shared_ptr<const DataTarget> FormatCopyFunction::MakeTarget(const Schema& schema,
                                                                 FileSetSpec spec,
                                                                 const OptionValues& options,
                                                                 ThreadPool* pool) const {
  return std::make_shared<FileSetTarget>(*format_, options, schema, std::move(spec), pool);
}

std::unique_ptr<DataSource> FormatCopyFunction::OpenSource(const std::string& pattern,
                                                           const OptionValues& options) const {
  return format_->Open(pattern, options);
}

void CopyFunctionRegistry::Register(std::unique_ptr<CopyFunction> function) {
  SLUICE_CHECK(function != nullptr, "null copy function");
  const std::string name = ToLower(function->name());
  if (Find(name) != nullptr) {
    throw InvalidInputError(fmt::format("COPY format \"{}\" is registered already", name));
  }
  std::unique_lock lock(mutex_);
  functions_.emplace(name, std::move(function));
}

const CopyFunction* CopyFunctionRegistry::Find(std::string_view name) const {
  const std::string lower = ToLower(name);
  {
    std::shared_lock lock(mutex_);
    auto it = functions_.find(lower);
    if (it != functions_.end()) return it->second.get();
  }
  const FileFormat* format = formats_ != nullptr ? formats_->Find(lower) : nullptr;
  if (format == nullptr) return nullptr;
  std::unique_lock lock(mutex_);
  auto& slot = functions_[lower];  // another thread may have made it meanwhile
  if (slot == nullptr) slot = std::make_unique<FormatCopyFunction>(format);
  return slot.get();
}

const CopyFunction& CopyFunctionRegistry::Get(std::string_view name) const {
  if (const CopyFunction* f = Find(name)) return *f;
  std::string hint = DidYouMean(name, Names());
  const std::string prefix = ", did you mean ";
  if (hint.rfind(prefix, 0) == 0) hint = " Did you mean " + hint.substr(prefix.size());
  throw BindError(fmt::format("COPY format \"{}\" is not supported (formats: {}).{}", name,
                              Join(Names(), ", "), hint));
}

const CopyFunction& CopyFunctionRegistry::ForTarget(const std::string& path) const {
  const FileFormat* format = formats_ != nullptr ? formats_->ForExtension(path) : nullptr;
  return Get(format != nullptr ? format->name() : "csv");
}

const CopyFunction& CopyFunctionRegistry::ForSource(const std::string& pattern) const {
  SLUICE_CHECK(formats_ != nullptr, "COPY FROM needs file formats");
  return Get(formats_->Sniff(pattern).name());
}

std::vector<std::string> CopyFunctionRegistry::Names() const {
  std::vector<std::string> names =
      formats_ != nullptr ? formats_->Names() : std::vector<std::string>{};
  std::shared_lock lock(mutex_);
  for (const auto& [name, f] : functions_) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  return names;
}

CopyFunctionRegistry& CopyFunctions() {
  static CopyFunctionRegistry* registry = new CopyFunctionRegistry(&FileFormats());
  return *registry;
}

}  // namespace sluice
