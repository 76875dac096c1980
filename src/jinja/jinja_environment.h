#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jinja/jinja_lexer.h"
#include "jinja/jinja_value.h"

namespace sluice::jinja {

struct Template;
class Scope;

// Variables passed to one render (dbt's per-model context: `this`, `model`, ...).
using Context = std::unordered_map<std::string, Value>;
// `value | name(args)`.
using FilterFunction = std::function<Value(const Value& input, const CallArgs& args)>;
// `value is name(args)`.
using TestFunction = std::function<bool(const Value& input, const CallArgs& args)>;

// Holds templates, global functions, filters, tests and the global macro registry, and renders
// templates with Jinja semantics (the defaults dbt uses: no autoescape, trim_blocks and
// lstrip_blocks off, one trailing newline dropped).
//
// Name lookup while rendering: local scopes (loop, macro, call), the render's context, global
// macros (AddMacroTemplate), then globals (AddGlobal and the builtins range, dict, namespace,
// joiner, cycler, return).
//
// Thread-safety: set up (Add*) from one thread first; afterwards Render and CallMacro may run
// concurrently, provided host functions and shared global values are themselves thread-safe.
// The environment must outlive every render; it is neither copyable nor movable because the
// builtins refer to it.
class JinjaEnvironment {
 public:
  explicit JinjaEnvironment(LexerOptions options = {});
  ~JinjaEnvironment();
  JinjaEnvironment(const JinjaEnvironment&) = delete;
  JinjaEnvironment& operator=(const JinjaEnvironment&) = delete;

  void AddGlobal(const std::string& name, Value value);
  // Shorthand for AddGlobal(name, MakeFunction(name, body)).
  void AddFunction(const std::string& name, NativeFunctionBody body);
  void AddFilter(const std::string& name, FilterFunction filter);
  void AddTest(const std::string& name, TestFunction test);

  // Parses `source` and stores it under `name` (for Render, include and import), replacing any
  // template of that name. Throws JinjaError on a syntax error.
  void AddTemplate(const std::string& name, std::string_view source);
  bool HasTemplate(std::string_view name) const;

  // Renders a stored template. Throws JinjaError (with template, line and column) when
  // rendering fails, or whatever a host function throws.
  std::string Render(const std::string& name, const Context& context = {}) const;
  // Parses and renders `source` without storing it.
  std::string RenderString(std::string_view source, const Context& context = {},
                           const std::string& name = "<string>") const;

  // Stores a macro file (dbt's macros/*.sql), runs its top level and registers each macro it
  // defines as a global callable from every template and from C++. Returns the macro names.
  // A macro registered later under the same name replaces the earlier one.
  std::vector<std::string> AddMacroTemplate(const std::string& name, std::string_view source);
  // The registered macro, or nullptr.
  const Value* FindMacro(std::string_view name) const;
  // Calls a registered macro from C++; its value is the rendered text as a string, or what
  // it passed to return(). `context` is visible to the macro as to a rendered template; when
  // called from a host function during a render, that render's context is used instead.
  Value CallMacro(std::string_view name, const CallArgs& args, const Context& context = {}) const;

  // Lookups used by the renderer; nullptr when absent.
  const Value* FindGlobal(std::string_view name) const;
  const FilterFunction* FindFilter(std::string_view name) const;
  const TestFunction* FindTest(std::string_view name) const;
  std::shared_ptr<const Template> FindTemplate(std::string_view name) const;
  const LexerOptions& lexer_options() const { return options_; }

 private:
  LexerOptions options_;
  std::unordered_map<std::string, Value> globals_;
  std::unordered_map<std::string, Value> macros_;
  std::unordered_map<std::string, FilterFunction> filters_;
  std::unordered_map<std::string, TestFunction> tests_;
  std::unordered_map<std::string, std::shared_ptr<const Template>> templates_;
  // Root scopes of macro templates: the registered macros close over them.
  std::vector<std::shared_ptr<Scope>> macro_scopes_;
};

// Registration of the builtins (jinja_filters.cpp, jinja_tests.cpp, jinja_globals.cpp).
void RegisterBuiltinFilters(JinjaEnvironment& env);
void RegisterBuiltinTests(JinjaEnvironment& env);
void RegisterBuiltinGlobals(JinjaEnvironment& env);

}  // namespace sluice::jinja
