#pragma once

#include <string>

#include "jinja/jinja_environment.h"

namespace sluice::jinja::testing {

// Renders `source` in a fresh environment.
inline std::string Render(const std::string& source, const Context& context = {}) {
  JinjaEnvironment env;
  return env.RenderString(source, context);
}

}  // namespace sluice::jinja::testing
