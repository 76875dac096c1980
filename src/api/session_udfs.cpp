// Session: the scalar functions a session registers at run time (Python UDFs).
#include <fmt/format.h>

#include "api/session.h"
#include "common/error.h"
#include "common/strings.h"

namespace sluice {

std::optional<ScalarUdf> Session::FindScalarUdf(const std::string& name) const {
  std::lock_guard<std::mutex> lock(udfs_mutex_);
  auto it = udfs_.find(ToLower(name));
  if (it == udfs_.end()) return std::nullopt;
  return it->second;
}

void Session::RegisterScalarUdf(ScalarUdf udf) {
  if (udf.name.empty()) throw InvalidInputError("a function needs a name");
  if (!udf.kernel) throw InvalidInputError(fmt::format("function {} has no kernel", udf.name));
  udf.name = ToLower(udf.name);
  std::lock_guard<std::mutex> lock(udfs_mutex_);
  udfs_[udf.name] = std::move(udf);
}

bool Session::DropScalarUdf(const std::string& name) {
  std::lock_guard<std::mutex> lock(udfs_mutex_);
  return udfs_.erase(ToLower(name)) != 0;
}

}  // namespace sluice
