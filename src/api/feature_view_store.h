#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "online/feature_view.h"

namespace sluice {

// The feature views applied to a session: in memory without a warehouse, else the registry
// file of the warehouse (DIR/_features/registry.json), read again on every use so that an
// apply by another process is seen. Thread-safe.
class FeatureViewStore {
 public:
  // `root`: the warehouse directory, or empty for a store in memory.
  explicit FeatureViewStore(std::string root) : root_(std::move(root)) {}

  std::optional<online::FeatureRegistry> Get() const;
  // Replaces the applied views. Throws IOError when the registry cannot be written.
  void Apply(const online::FeatureRegistry& registry);

 private:
  std::string root_;
  mutable std::mutex mutex_;
  std::optional<online::FeatureRegistry> memory_;
};

}  // namespace sluice
