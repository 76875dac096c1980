#include "jinja/jinja_environment.h"

#include <algorithm>

#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"
#include "jinja/jinja_parser.h"
#include "jinja/jinja_render.h"

namespace sluice::jinja {

JinjaEnvironment::JinjaEnvironment(LexerOptions options) : options_(options) {
  RegisterBuiltinFilters(*this);
  RegisterBuiltinTests(*this);
  RegisterBuiltinGlobals(*this);
}

JinjaEnvironment::~JinjaEnvironment() {
  // Registered macros close over these scopes, which hold the macros: break the cycles.
  for (const auto& scope : macro_scopes_) scope->Clear();
}

void JinjaEnvironment::AddGlobal(const std::string& name, Value value) {
  globals_[name] = std::move(value);
}

void JinjaEnvironment::AddFunction(const std::string& name, NativeFunctionBody body) {
  AddGlobal(name, MakeFunction(name, std::move(body)));
}

void JinjaEnvironment::AddFilter(const std::string& name, FilterFunction filter) {
  filters_[name] = std::move(filter);
}

void JinjaEnvironment::AddTest(const std::string& name, TestFunction test) {
  tests_[name] = std::move(test);
}

void JinjaEnvironment::AddTemplate(const std::string& name, std::string_view source) {
  templates_[name] = std::shared_ptr<const Template>(ParseTemplate(source, name, options_));
}

bool JinjaEnvironment::HasTemplate(std::string_view name) const {
  return templates_.count(std::string(name)) > 0;
}

std::string JinjaEnvironment::Render(const std::string& name, const Context& context) const {
  auto tmpl = FindTemplate(name);
  if (!tmpl) throw JinjaError("template " + ReprString(name) + " not found");
  RenderSession session(&context);
  return ExecuteTemplate(*this, std::move(tmpl), std::make_shared<Scope>());
}

std::string JinjaEnvironment::RenderString(std::string_view source, const Context& context,
                                           const std::string& name) const {
  std::shared_ptr<const Template> tmpl = ParseTemplate(source, name, options_);
  RenderSession session(&context);
  return ExecuteTemplate(*this, std::move(tmpl), std::make_shared<Scope>());
}

std::vector<std::string> JinjaEnvironment::AddMacroTemplate(const std::string& name,
                                                            std::string_view source) {
  AddTemplate(name, source);
  auto root = std::make_shared<Scope>();
  // The macros' scope must survive the session: the environment keeps it for as long as the
  // macros are registered.
  {
    RenderSession session(nullptr, /*clear_macro_scopes=*/false);
    ExecuteTemplate(*this, FindTemplate(name), root);
  }
  std::vector<std::string> names;
  for (const auto& [var, value] : root->vars()) {
    if (value.IsObject() && value.AsObject().TypeName() == "Macro") {
      macros_[var] = value;
      names.push_back(var);
    }
  }
  std::sort(names.begin(), names.end());
  macro_scopes_.push_back(std::move(root));
  return names;
}

const Value* JinjaEnvironment::FindMacro(std::string_view name) const {
  auto it = macros_.find(std::string(name));
  return it == macros_.end() ? nullptr : &it->second;
}

Value JinjaEnvironment::CallMacro(std::string_view name, const CallArgs& args,
                                  const Context& context) const {
  const Value* macro = FindMacro(name);
  if (!macro) throw JinjaError("macro " + ReprString(name) + " is not defined");
  if (RenderSession::Current()) return CallValue(*macro, args);
  RenderSession session(&context);
  return CallValue(*macro, args);
}

const Value* JinjaEnvironment::FindGlobal(std::string_view name) const {
  auto it = globals_.find(std::string(name));
  return it == globals_.end() ? nullptr : &it->second;
}

const FilterFunction* JinjaEnvironment::FindFilter(std::string_view name) const {
  auto it = filters_.find(std::string(name));
  return it == filters_.end() ? nullptr : &it->second;
}

const TestFunction* JinjaEnvironment::FindTest(std::string_view name) const {
  auto it = tests_.find(std::string(name));
  return it == tests_.end() ? nullptr : &it->second;
}

std::shared_ptr<const Template> JinjaEnvironment::FindTemplate(std::string_view name) const {
  auto it = templates_.find(std::string(name));
  return it == templates_.end() ? nullptr : it->second;
}

}  // namespace sluice::jinja
