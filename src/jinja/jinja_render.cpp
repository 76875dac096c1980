#include "jinja/jinja_render.h"

#include <functional>
#include <optional>

#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"

namespace sluice::jinja {

namespace {

// Deepest nesting of macro calls; deeper recursion is reported instead of overflowing the stack.
constexpr int kMaxMacroDepth = 200;

thread_local RenderSession* g_current_session = nullptr;

// `loop` inside a for loop.
class LoopObject : public Object {
 public:
  LoopObject(std::shared_ptr<const List> items, int64_t depth)
      : items_(std::move(items)), depth_(depth) {}
  void set_index(size_t index) { index_ = index; }
  // Makes the loop callable, for `{% for %} ... recursive`.
  void set_recurse(std::function<Value(const Value&)> recurse) { recurse_ = std::move(recurse); }
  bool IsCallable() const override { return recurse_ != nullptr; }
  Value Call(const CallArgs& args) override {
    if (!recurse_) return Object::Call(args);
    auto a = BindArguments("loop", args, {"iterable"});
    return recurse_(a[0].value_or(Value()));
  }

  std::string TypeName() const override { return "LoopContext"; }
  std::string Str() const override {
    return "<LoopContext " + std::to_string(index_ + 1) + "/" + std::to_string(items_->size()) +
           ">";
  }

  Value GetAttribute(std::string_view name) const override {
    auto n = static_cast<int64_t>(items_->size());
    auto i = static_cast<int64_t>(index_);
    if (name == "index") return Value(i + 1);
    if (name == "index0") return Value(i);
    if (name == "revindex") return Value(n - i);
    if (name == "revindex0") return Value(n - i - 1);
    if (name == "first") return Value(i == 0);
    if (name == "last") return Value(i == n - 1);
    if (name == "length") return Value(n);
    if (name == "depth") return Value(depth_);
    if (name == "depth0") return Value(depth_ - 1);
    if (name == "previtem") {
      return i > 0 ? (*items_)[index_ - 1] : Value::Undefined("there is no previous item");
    }
    if (name == "nextitem") {
      return i + 1 < n ? (*items_)[index_ + 1] : Value::Undefined("there is no next item");
    }
    if (name == "cycle") {
      size_t index = index_;
      return MakeFunction("cycle", [index](const CallArgs& args) {
        if (args.positional.empty()) throw JinjaError("no items for cycling given");
        return args.positional[index % args.positional.size()];
      });
    }
    return Value::Undefined();
  }

 private:
  std::shared_ptr<const List> items_;
  size_t index_ = 0;
  int64_t depth_;
  std::function<Value(const Value&)> recurse_;
};

// What `{% import %}` binds: the exported top-level names of a template.
class TemplateModule : public Object {
 public:
  TemplateModule(std::string name, ScopePtr scope)
      : name_(std::move(name)), scope_(std::move(scope)) {}
  std::string TypeName() const override { return "TemplateModule"; }
  std::string Str() const override { return "<TemplateModule '" + name_ + "'>"; }
  Value GetAttribute(std::string_view name) const override {
    if (name.empty() || name[0] == '_') return Value::Undefined();
    auto it = scope_->vars().find(name);
    return it == scope_->vars().end() ? Value::Undefined() : it->second;
  }

 private:
  std::string name_;
  ScopePtr scope_;  // the module's top-level scope; its macros close over it
};

class Renderer {
 public:
  Renderer(const JinjaEnvironment& env, std::shared_ptr<const Template> tmpl)
      : env_(env), tmpl_(std::move(tmpl)) {}

  void Execute(const StmtList& body, const ScopePtr& scope, std::string& out) {
    for (const StmtPtr& stmt : body) {
      try {
        ExecuteOne(*stmt, scope, out);
      } catch (const JinjaError& e) {
        if (e.has_position()) throw;
        throw JinjaError(Position(stmt->line, stmt->column), e.detail());
      }
    }
  }

  Value Evaluate(const Expr& e, const ScopePtr& scope) {
    try {
      return EvaluateUnchecked(e, scope);
    } catch (const JinjaError& err) {
      if (err.has_position()) throw;
      throw JinjaError(Position(e.line, e.column), err.detail());
    }
  }

 private:
  SourcePosition Position(int line, int column) const {
    return SourcePosition{tmpl_->name, line, column};
  }

  Value LookupName(const std::string& name, const ScopePtr& scope) const {
    if (const Value* v = scope->Lookup(name)) return *v;
    if (RenderSession* session = RenderSession::Current(); session && session->context()) {
      auto it = session->context()->find(name);
      if (it != session->context()->end()) return it->second;
    }
    if (const Value* m = env_.FindMacro(name)) return *m;
    if (const Value* g = env_.FindGlobal(name)) return *g;
    return Value::Undefined("'" + name + "' is undefined");
  }

  void ExecuteOne(const Stmt& stmt, const ScopePtr& scope, std::string& out);
  Value EvaluateUnchecked(const Expr& e, const ScopePtr& scope);
  CallArgs EvaluateArguments(const ArgumentsExpr& args, const ScopePtr& scope);
  Value ApplyFilter(const FilterExpr& filter, const Value& input, const ScopePtr& scope);
  Value ApplyFilterChain(const FilterChain& chain, Value input, const ScopePtr& scope);
  void Assign(const Expr& target, const Value& value, const ScopePtr& scope);
  // Runs a for loop over `iterable`; `depth` counts recursive `loop(...)` calls from 1.
  void RunLoop(const ForStmt& stmt, const ScopePtr& scope, const Value& iterable, int64_t depth,
               std::string& out);
  void ExecuteImport(const ImportStmt& stmt, const ScopePtr& scope);
  Value MakeMacro(const MacroDef& def, const ScopePtr& closure, bool is_caller);
  std::shared_ptr<const Template> FindTemplate(const Value& name, bool ignore_missing) const;

  const JinjaEnvironment& env_;
  std::shared_ptr<const Template> tmpl_;
};

// A macro defined with {% macro %} or the body of a {% call %} block (`caller`).
class Macro : public Callable {
 public:
  Macro(const JinjaEnvironment& env, std::shared_ptr<const Template> tmpl, const MacroDef& def,
        ScopePtr closure, bool is_caller)
      : env_(env),
        tmpl_(std::move(tmpl)),
        def_(def),
        closure_(std::move(closure)),
        is_caller_(is_caller) {}

  std::string TypeName() const override { return "Macro"; }
  std::string Str() const override { return "<Macro '" + def_.name + "'>"; }
  Value GetAttribute(std::string_view name) const override {
    if (name == "name") return Value(def_.name);
    if (name == "arguments") {
      List params;
      for (const std::string& p : def_.params) params.emplace_back(p);
      return Value::MakeTuple(std::move(params));
    }
    if (name == "catch_kwargs") return Value(def_.uses_kwargs);
    if (name == "catch_varargs") return Value(def_.uses_varargs);
    if (name == "caller") return Value(def_.uses_caller);
    return Value::Undefined();
  }

  Value Call(const CallArgs& args) override {
    std::optional<RenderSession> own_session;
    RenderSession* session = RenderSession::Current();
    if (!session) session = &own_session.emplace(nullptr);
    if (session->depth() >= kMaxMacroDepth) {
      throw JinjaError("maximum recursion depth exceeded calling macro '" + def_.name + "'");
    }
    ++session->depth();
    struct DepthGuard {
      int& depth;
      ~DepthGuard() { --depth; }
    } guard{session->depth()};

    auto scope = std::make_shared<Scope>(closure_);
    Renderer renderer(env_, tmpl_);
    Bind(args, scope, renderer);
    std::string out;
    if (is_caller_) {
      renderer.Execute(def_.body, scope, out);
      return Value(std::move(out));
    }
    try {
      renderer.Execute(def_.body, scope, out);
    } catch (MacroReturn& ret) {
      return std::move(ret.value);
    }
    return Value(std::move(out));
  }

 private:
  void Bind(const CallArgs& args, const ScopePtr& scope, Renderer& renderer) const {
    const size_t n = def_.params.size();
    std::vector<bool> bound(n, false);
    List varargs;
    for (size_t i = 0; i < args.positional.size(); ++i) {
      if (i < n) {
        scope->Set(def_.params[i], args.positional[i]);
        bound[i] = true;
      } else if (def_.uses_varargs) {
        varargs.push_back(args.positional[i]);
      } else {
        throw JinjaError(
            fmt::format("macro '{}' takes not more than {} argument(s)", def_.name, n));
      }
    }
    Dict kwargs;
    for (const auto& [name, value] : args.keyword) {
      auto it = std::find(def_.params.begin(), def_.params.end(), name);
      if (it != def_.params.end()) {
        size_t i = static_cast<size_t>(it - def_.params.begin());
        if (bound[i]) {
          throw JinjaError(
              fmt::format("macro '{}' got multiple values for argument '{}'", def_.name, name));
        }
        scope->Set(name, value);
        bound[i] = true;
      } else if (name == "caller" && def_.uses_caller) {
        scope->Set("caller", value);
      } else if (def_.uses_kwargs) {
        kwargs.Set(Value(name), value);
      } else {
        throw JinjaError(fmt::format("macro '{}' takes no keyword argument '{}'", def_.name, name));
      }
    }
    for (size_t i = 0; i < n; ++i) {
      if (bound[i]) continue;
      if (def_.defaults[i]) {
        scope->Set(def_.params[i], renderer.Evaluate(*def_.defaults[i], scope));
      } else {
        scope->Set(def_.params[i],
                   Value::Undefined("parameter '" + def_.params[i] + "' was not provided"));
      }
    }
    scope->Set("varargs", Value::MakeTuple(std::move(varargs)));
    scope->Set("kwargs", Value::MakeDict(std::move(kwargs)));
  }

  const JinjaEnvironment& env_;
  std::shared_ptr<const Template> tmpl_;  // owns def_
  const MacroDef& def_;
  ScopePtr closure_;
  bool is_caller_;  // return() passes through a caller to the macro that called it
};

Value Renderer::MakeMacro(const MacroDef& def, const ScopePtr& closure, bool is_caller) {
  if (RenderSession* session = RenderSession::Current()) session->TrackMacroScope(closure);
  return Value(std::make_shared<Macro>(env_, tmpl_, def, closure, is_caller));
}

void Renderer::ExecuteOne(const Stmt& stmt, const ScopePtr& scope, std::string& out) {
  switch (stmt.kind) {
    case StmtKind::kText:
      out += static_cast<const TextStmt&>(stmt).text;
      return;
    case StmtKind::kOutput:
      out += Evaluate(*static_cast<const ExprStmt&>(stmt).expr, scope).Str();
      return;
    case StmtKind::kDo:
      Evaluate(*static_cast<const ExprStmt&>(stmt).expr, scope);
      return;
    case StmtKind::kIf: {
      const auto& s = static_cast<const IfStmt&>(stmt);
      for (const auto& [condition, body] : s.branches) {
        if (Evaluate(*condition, scope).Truthy()) {
          Execute(body, scope, out);
          return;
        }
      }
      Execute(s.else_body, scope, out);
      return;
    }
    case StmtKind::kFor: {
      const auto& s = static_cast<const ForStmt&>(stmt);
      RunLoop(s, scope, Evaluate(*s.iterable, scope), 1, out);
      return;
    }
    case StmtKind::kSet: {
      const auto& s = static_cast<const SetStmt&>(stmt);
      Assign(*s.target, Evaluate(*s.value, scope), scope);
      return;
    }
    case StmtKind::kSetBlock: {
      const auto& s = static_cast<const SetBlockStmt&>(stmt);
      std::string body;
      Execute(s.body, std::make_shared<Scope>(scope), body);
      Assign(*s.target, ApplyFilterChain(s.filters, Value(std::move(body)), scope), scope);
      return;
    }
    case StmtKind::kMacro: {
      const auto& s = static_cast<const MacroStmt&>(stmt);
      scope->Set(s.macro.name, MakeMacro(s.macro, scope, false));
      return;
    }
    case StmtKind::kCallBlock: {
      const auto& s = static_cast<const CallBlockStmt&>(stmt);
      Value callee = Evaluate(*s.call->callee, scope);
      CallArgs args = EvaluateArguments(s.call->args, scope);
      args.keyword.emplace_back("caller", MakeMacro(s.caller, scope, true));
      try {
        out += CallValue(callee, args).Str();
      } catch (const JinjaError& e) {
        if (e.has_position()) throw;
        throw JinjaError(Position(s.call->line, s.call->column), e.detail());
      }
      return;
    }
    case StmtKind::kFilterBlock: {
      const auto& s = static_cast<const FilterBlockStmt&>(stmt);
      std::string body;
      Execute(s.body, std::make_shared<Scope>(scope), body);
      out += ApplyFilterChain(s.filters, Value(std::move(body)), scope).Str();
      return;
    }
    case StmtKind::kInclude: {
      const auto& s = static_cast<const IncludeStmt&>(stmt);
      auto tmpl = FindTemplate(Evaluate(*s.template_name, scope), s.ignore_missing);
      if (!tmpl) return;
      auto root = std::make_shared<Scope>(s.with_context ? scope : nullptr);
      Renderer(env_, tmpl).Execute(tmpl->body, root, out);
      return;
    }
    case StmtKind::kImport:
    case StmtKind::kFromImport:
      ExecuteImport(static_cast<const ImportStmt&>(stmt), scope);
      return;
    case StmtKind::kWith: {
      const auto& s = static_cast<const WithStmt&>(stmt);
      auto inner = std::make_shared<Scope>(scope);
      for (const auto& [target, value] : s.assignments) {
        Assign(*target, Evaluate(*value, scope), inner);
      }
      Execute(s.body, inner, out);
      return;
    }
  }
}

void Renderer::RunLoop(const ForStmt& stmt, const ScopePtr& scope, const Value& iterable,
                       int64_t depth, std::string& out) {
  List items;
  try {
    items = Iterate(iterable);
  } catch (const JinjaError& e) {
    throw JinjaError(Position(stmt.iterable->line, stmt.iterable->column), e.detail());
  }
  if (stmt.condition) {
    auto filter_scope = std::make_shared<Scope>(scope);
    List kept;
    for (Value& item : items) {
      Assign(*stmt.target, item, filter_scope);
      if (Evaluate(*stmt.condition, filter_scope).Truthy()) kept.push_back(std::move(item));
    }
    items = std::move(kept);
  }
  if (items.empty()) {
    Execute(stmt.else_body, std::make_shared<Scope>(scope), out);
    return;
  }
  auto shared_items = std::make_shared<const List>(std::move(items));
  auto loop = std::make_shared<LoopObject>(shared_items, depth);
  if (stmt.recursive) {
    // `loop(children)` renders the body again over `children`, one level deeper.
    loop->set_recurse([env = &env_, tmpl = tmpl_, &stmt, scope, depth](const Value& children) {
      std::string nested;
      Renderer(*env, tmpl).RunLoop(stmt, scope, children, depth + 1, nested);
      return Value(std::move(nested));
    });
  }
  for (size_t i = 0; i < shared_items->size(); ++i) {
    // As in Jinja, each iteration has its own scope: a `set` in the body is not seen by the
    // next iteration nor after the loop.
    auto iteration = std::make_shared<Scope>(scope);
    loop->set_index(i);
    iteration->Set("loop", Value(loop));
    Assign(*stmt.target, (*shared_items)[i], iteration);
    Execute(stmt.body, iteration, out);
  }
}

void Renderer::Assign(const Expr& target, const Value& value, const ScopePtr& scope) {
  switch (target.kind) {
    case ExprKind::kName:
      scope->Set(static_cast<const NameExpr&>(target).name, value);
      return;
    case ExprKind::kTuple: {
      const auto& names = static_cast<const SequenceExpr&>(target).items;
      List items = Iterate(value);
      if (items.size() != names.size()) {
        throw JinjaError(items.size() > names.size()
                             ? fmt::format("too many values to unpack (expected {})", names.size())
                             : fmt::format("not enough values to unpack (expected {}, got {})",
                                           names.size(), items.size()));
      }
      for (size_t i = 0; i < names.size(); ++i) Assign(*names[i], items[i], scope);
      return;
    }
    case ExprKind::kGetAttr: {
      const auto& attr = static_cast<const GetAttrExpr&>(target);
      Value object = Evaluate(*attr.object, scope);
      if (!object.IsObject()) {
        throw JinjaError("cannot assign attribute on non-namespace object");
      }
      object.AsObject().SetAttribute(attr.name, value);
      return;
    }
    default:
      throw JinjaError("cannot assign to this expression");
  }
}

std::shared_ptr<const Template> Renderer::FindTemplate(const Value& name,
                                                       bool ignore_missing) const {
  List candidates = name.IsSequence() ? name.AsList() : List{name};
  for (const Value& candidate : candidates) {
    if (auto tmpl = env_.FindTemplate(candidate.Str())) return tmpl;
  }
  if (ignore_missing) return nullptr;
  throw JinjaError("template " + ReprString(name.Str()) + " not found");
}

void Renderer::ExecuteImport(const ImportStmt& stmt, const ScopePtr& scope) {
  Value name = Evaluate(*stmt.template_name, scope);
  auto tmpl = FindTemplate(name, false);
  auto root = std::make_shared<Scope>(stmt.with_context ? scope : nullptr);
  std::string ignored;
  Renderer(env_, tmpl).Execute(tmpl->body, root, ignored);
  auto module = std::make_shared<TemplateModule>(tmpl->name, root);
  if (stmt.kind == StmtKind::kImport) {
    scope->Set(stmt.alias, Value(module));
    return;
  }
  for (const auto& [imported, alias] : stmt.names) {
    Value v = module->GetAttribute(imported);
    if (v.IsUndefined()) {
      throw JinjaError("the template " + ReprString(tmpl->name) +
                       " does not export the requested name " + ReprString(imported));
    }
    scope->Set(alias, v);
  }
}

CallArgs Renderer::EvaluateArguments(const ArgumentsExpr& args, const ScopePtr& scope) {
  CallArgs out;
  for (const ExprPtr& e : args.positional) out.positional.push_back(Evaluate(*e, scope));
  if (args.star_args) {
    for (Value& v : Iterate(Evaluate(*args.star_args, scope)))
      out.positional.push_back(std::move(v));
  }
  for (const auto& [name, e] : args.keyword) out.keyword.emplace_back(name, Evaluate(*e, scope));
  if (args.star_kwargs) {
    Value kwargs = Evaluate(*args.star_kwargs, scope);
    if (!kwargs.IsDict())
      throw JinjaError("argument after ** must be a mapping, not " + kwargs.TypeName());
    for (const auto& [k, v] : kwargs.AsDict().entries()) {
      if (!k.IsString()) throw JinjaError("keywords must be strings");
      out.keyword.emplace_back(k.AsString(), v);
    }
  }
  return out;
}

Value Renderer::ApplyFilter(const FilterExpr& filter, const Value& input, const ScopePtr& scope) {
  const FilterFunction* fn = env_.FindFilter(filter.name);
  if (!fn) throw JinjaError("no filter named '" + filter.name + "'");
  CallArgs args = EvaluateArguments(filter.args, scope);
  try {
    return (*fn)(input, args);
  } catch (const JinjaError& e) {
    if (e.has_position()) throw;
    throw JinjaError(Position(filter.line, filter.column), e.detail());
  }
}

Value Renderer::ApplyFilterChain(const FilterChain& chain, Value input, const ScopePtr& scope) {
  for (const auto& filter : chain) input = ApplyFilter(*filter, input, scope);
  return input;
}

Value Renderer::EvaluateUnchecked(const Expr& e, const ScopePtr& scope) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      return static_cast<const LiteralExpr&>(e).value;
    case ExprKind::kName:
      return LookupName(static_cast<const NameExpr&>(e).name, scope);
    case ExprKind::kList:
    case ExprKind::kTuple: {
      List items;
      for (const ExprPtr& item : static_cast<const SequenceExpr&>(e).items) {
        items.push_back(Evaluate(*item, scope));
      }
      return e.kind == ExprKind::kList ? Value::MakeList(std::move(items))
                                       : Value::MakeTuple(std::move(items));
    }
    case ExprKind::kDict: {
      Dict dict;
      for (const auto& [k, v] : static_cast<const DictExpr&>(e).items) {
        Value key = Evaluate(*k, scope);
        dict.Set(std::move(key), Evaluate(*v, scope));
      }
      return Value::MakeDict(std::move(dict));
    }
    case ExprKind::kGetAttr: {
      const auto& a = static_cast<const GetAttrExpr&>(e);
      return GetAttribute(Evaluate(*a.object, scope), a.name);
    }
    case ExprKind::kGetItem: {
      const auto& g = static_cast<const GetItemExpr&>(e);
      Value object = Evaluate(*g.object, scope);
      return GetItem(object, Evaluate(*g.key, scope));
    }
    case ExprKind::kSlice: {
      const auto& s = static_cast<const SliceExpr&>(e);
      Value object = Evaluate(*s.object, scope);
      auto bound = [&](const ExprPtr& b) -> std::optional<int64_t> {
        if (!b) return std::nullopt;
        Value v = Evaluate(*b, scope);
        if (v.IsNone()) return std::nullopt;
        if (!v.IsInt() && !v.IsBool()) {
          throw JinjaError("slice indices must be integers or None");
        }
        return v.AsInt();
      };
      auto start = bound(s.start);
      auto stop = bound(s.stop);
      return Slice(object, start, stop, bound(s.step));
    }
    case ExprKind::kCall: {
      const auto& c = static_cast<const CallExpr&>(e);
      Value callee = Evaluate(*c.callee, scope);
      return CallValue(callee, EvaluateArguments(c.args, scope));
    }
    case ExprKind::kFilter: {
      const auto& f = static_cast<const FilterExpr&>(e);
      return ApplyFilter(f, Evaluate(*f.input, scope), scope);
    }
    case ExprKind::kTest: {
      const auto& t = static_cast<const TestExpr&>(e);
      const TestFunction* fn = env_.FindTest(t.name);
      if (!fn) throw JinjaError("no test named '" + t.name + "'");
      Value input = Evaluate(*t.input, scope);
      bool result = (*fn)(input, EvaluateArguments(t.args, scope));
      return Value(result != t.negated);
    }
    case ExprKind::kNegate:
      return Negate(Evaluate(*static_cast<const UnaryExpr&>(e).operand, scope));
    case ExprKind::kPlus: {
      Value v = Evaluate(*static_cast<const UnaryExpr&>(e).operand, scope);
      if (!v.IsNumber()) throw JinjaError("bad operand type for unary +: '" + v.TypeName() + "'");
      return v.IsBool() ? Value(v.AsInt()) : v;
    }
    case ExprKind::kNot:
      return Value(!Evaluate(*static_cast<const UnaryExpr&>(e).operand, scope).Truthy());
    case ExprKind::kBinary: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      Value left = Evaluate(*b.left, scope);
      return EvaluateBinary(b.op, left, Evaluate(*b.right, scope));
    }
    case ExprKind::kAnd:
    case ExprKind::kOr: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      Value left = Evaluate(*b.left, scope);
      if (left.Truthy() == (e.kind == ExprKind::kOr)) return left;
      return Evaluate(*b.right, scope);
    }
    case ExprKind::kConcat: {
      const auto& b = static_cast<const BinaryExpr&>(e);
      std::string left = Evaluate(*b.left, scope).Str();
      return Value(left + Evaluate(*b.right, scope).Str());
    }
    case ExprKind::kCompare: {
      const auto& c = static_cast<const CompareExpr&>(e);
      Value left = Evaluate(*c.first, scope);
      for (const auto& [op, operand] : c.rest) {
        Value right = Evaluate(*operand, scope);
        if (!EvaluateCompare(op, left, right)) return Value(false);
        left = std::move(right);
      }
      return Value(true);
    }
    case ExprKind::kCondition: {
      const auto& c = static_cast<const ConditionExpr&>(e);
      if (Evaluate(*c.condition, scope).Truthy()) return Evaluate(*c.then, scope);
      if (c.otherwise) return Evaluate(*c.otherwise, scope);
      return Value::Undefined("the inline if-expression on line " + std::to_string(e.line) +
                              " evaluated to false and no else section was defined.");
    }
  }
  return Value();
}

}  // namespace

const Value* Scope::Lookup(std::string_view name) const {
  for (const Scope* s = this; s != nullptr; s = s->parent_.get()) {
    auto it = s->vars_.find(name);
    if (it != s->vars_.end()) return &it->second;
  }
  return nullptr;
}

RenderSession::RenderSession(const Context* context, bool clear_macro_scopes)
    : context_(context), clear_macro_scopes_(clear_macro_scopes), previous_(g_current_session) {
  g_current_session = this;
}

RenderSession::~RenderSession() {
  for (const ScopePtr& scope : macro_scopes_) scope->Clear();
  g_current_session = previous_;
}

RenderSession* RenderSession::Current() { return g_current_session; }

std::string ExecuteTemplate(const JinjaEnvironment& env, std::shared_ptr<const Template> tmpl,
                            const ScopePtr& root) {
  std::string out;
  const Template& t = *tmpl;
  try {
    Renderer(env, std::move(tmpl)).Execute(t.body, root, out);
  } catch (const MacroReturn&) {
    throw JinjaError(SourcePosition{t.name, 0, 0}, "return() called outside of a macro");
  }
  return out;
}

}  // namespace sluice::jinja
