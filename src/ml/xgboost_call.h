#pragma once

#include <string>

namespace sluice::ml {

// Throws InvalidInputError naming `what` and XGBoost's last error when `rc` is not 0.
void CheckXgboost(int rc, const std::string& what);

}  // namespace sluice::ml
