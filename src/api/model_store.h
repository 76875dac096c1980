#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "ml/model.h"

namespace sluice {

// The models of a session (CREATE MODEL). In memory without a warehouse directory; with one,
// every version is kept under DIR/_models/<name>/: v<N>.model.json (XGBoost's JSON model,
// which python3-xgboost's Booster(model_file=...) loads) and v<N>.meta.json (type, options,
// label, classes, feature encoders, metrics, rounds, lineage). The latest version is the
// model. Thread-safe.
class ModelStore {
 public:
  // `root`: the warehouse directory, or empty for a store in memory.
  explicit ModelStore(std::string root) : root_(std::move(root)) {}

  // The latest version of `name` (case-insensitive), or null.
  ml::ModelPtr Find(const std::string& name) const;
  // Stores `model` as the next version of its name (setting model->version) and returns it.
  // Throws IOError when the files cannot be written.
  ml::ModelPtr Save(std::unique_ptr<ml::Model> model);
  // DROP MODEL: forgets every version of `name` (removing its directory). False when there
  // was no such model. Throws IOError when the files cannot be removed.
  bool Drop(const std::string& name);
  // The directory of model `name`'s files (empty in memory).
  std::string DirectoryOf(const std::string& name) const;

 private:
  int LatestVersionOnDisk(const std::string& key) const;

  std::string root_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, ml::ModelPtr> models_;  // lower-case name -> latest
};

}  // namespace sluice
