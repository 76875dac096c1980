#include "api/feature_view_store.h"

namespace sluice {

std::optional<online::FeatureRegistry> FeatureViewStore::Get() const {
  std::lock_guard lock(mutex_);
  if (root_.empty()) return memory_;
  return online::FeatureRegistry::ReadFrom(root_);
}

void FeatureViewStore::Apply(const online::FeatureRegistry& registry) {
  std::lock_guard lock(mutex_);
  if (root_.empty()) {
    memory_ = registry;
  } else {
    registry.WriteTo(root_);
  }
}

}  // namespace sluice
