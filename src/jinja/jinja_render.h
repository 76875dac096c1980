#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jinja/jinja_ast.h"
#include "jinja/jinja_environment.h"
#include "jinja/jinja_value.h"

// The interpreter: executes a template's syntax tree against scopes of variables.
namespace sluice::jinja {

// Variables of one lexical level: a template's top level, a macro call, a for loop, a call
// or filter block. Lookups fall through to the parent. Scopes are shared because macros
// close over the scope they are defined in.
class Scope {
 public:
  explicit Scope(std::shared_ptr<Scope> parent = nullptr) : parent_(std::move(parent)) {}
  // The variable here or in an enclosing scope, or nullptr.
  const Value* Lookup(std::string_view name) const;
  void Set(const std::string& name, Value value) { vars_[name] = std::move(value); }
  // Hashes std::string and std::string_view alike, so lookups need not copy the name.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using Variables = std::unordered_map<std::string, Value, NameHash, std::equal_to<>>;

  const Variables& vars() const { return vars_; }
  // Drops the variables, breaking scope -> macro -> scope reference cycles.
  void Clear() { vars_.clear(); }

 private:
  std::shared_ptr<Scope> parent_;
  Variables vars_;
};
using ScopePtr = std::shared_ptr<Scope>;

// Thrown by dbt's `return(value)`; the enclosing macro call evaluates to `value`. Not an
// std::exception, so nothing but a macro call catches it.
struct MacroReturn {
  Value value;
};

// The state of one outermost render on this thread: its context (seen by global macros, as
// dbt binds macros to the model being rendered) and the scopes to clear when it ends.
// Construct one per Render/CallMacro; they nest.
class RenderSession {
 public:
  // With `clear_macro_scopes` false the scopes are kept: for macro files, whose macros stay
  // registered after the session.
  explicit RenderSession(const Context* context, bool clear_macro_scopes = true);
  ~RenderSession();
  RenderSession(const RenderSession&) = delete;
  RenderSession& operator=(const RenderSession&) = delete;

  // The innermost session on this thread, or nullptr.
  static RenderSession* Current();
  const Context* context() const { return context_; }
  // Remembers a scope that now holds a macro closing over it, to clear it at the end.
  void TrackMacroScope(ScopePtr scope) {
    if (clear_macro_scopes_) macro_scopes_.push_back(std::move(scope));
  }
  // Guards against runaway macro recursion.
  int& depth() { return depth_; }

 private:
  const Context* context_;
  bool clear_macro_scopes_;
  RenderSession* previous_;
  std::vector<ScopePtr> macro_scopes_;
  int depth_ = 0;
};

// Runs `tmpl`'s top level in `root` and returns its output.
std::string ExecuteTemplate(const JinjaEnvironment& env, std::shared_ptr<const Template> tmpl,
                            const ScopePtr& root);

}  // namespace sluice::jinja
