// Python string formatting: `fmt % args` and str.format.
#include <cctype>
#include <cmath>
#include <cstdio>

#include "jinja/jinja_error.h"
#include "jinja/jinja_operators.h"

namespace sluice::jinja {

namespace {

std::string Pad(std::string s, size_t width, char fill, char align) {
  if (s.size() >= width) return s;
  size_t pad = width - s.size();
  switch (align) {
    case '<':
      return s + std::string(pad, fill);
    case '^':
      return std::string(pad / 2, fill) + s + std::string(pad - pad / 2, fill);
    case '=': {
      // Padding goes between the sign and the digits.
      size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
      return s.substr(0, sign) + std::string(pad, fill) + s.substr(sign);
    }
    default:
      return std::string(pad, fill) + s;
  }
}

int64_t ToIntForFormat(const Value& v, char type) {
  if (v.IsInt() || v.IsBool()) return v.AsInt();
  if (v.IsFloat()) return static_cast<int64_t>(v.AsDouble());
  throw JinjaError(fmt::format("%{} format: a number is required, not {}", type, v.TypeName()));
}

double ToDoubleForFormat(const Value& v, char type) {
  if (v.IsNumber()) return v.AsDouble();
  throw JinjaError(
      fmt::format("%{} format: a real number is required, not {}", type, v.TypeName()));
}

std::string FormatWithPrintf(const std::string& spec, int64_t i) {
  char buf[128];
  std::snprintf(buf, sizeof(buf), spec.c_str(), static_cast<long long>(i));
  return buf;
}

std::string FormatWithPrintf(const std::string& spec, double d) {
  char buf[512];
  std::snprintf(buf, sizeof(buf), spec.c_str(), d);
  return buf;
}

std::string InsertThousands(const std::string& number) {
  size_t start = (!number.empty() && (number[0] == '-' || number[0] == '+')) ? 1 : 0;
  size_t end = number.find('.');
  if (end == std::string::npos) end = number.size();
  std::string digits = number.substr(start, end - start);
  std::string grouped;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return number.substr(0, start) + grouped + number.substr(end);
}

// Python's format(value, spec) for the common spec subset.
std::string ApplyFormatSpec(const Value& value, std::string_view spec) {
  char fill = ' ';
  char align = 0;
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  if (spec.size() >= 2 && is_align(spec[1])) {
    fill = spec[0];
    align = spec[1];
    i = 2;
  } else if (!spec.empty() && is_align(spec[0])) {
    align = spec[0];
    i = 1;
  }
  char sign = '-';
  if (i < spec.size() && (spec[i] == '+' || spec[i] == '-' || spec[i] == ' ')) sign = spec[i++];
  if (i < spec.size() && spec[i] == '#') ++i;
  if (i < spec.size() && spec[i] == '0') {
    if (align == 0) {
      fill = '0';
      align = '=';
    }
    ++i;
  }
  size_t width = 0;
  while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
    width = width * 10 + static_cast<size_t>(spec[i++] - '0');
  }
  bool thousands = false;
  if (i < spec.size() && (spec[i] == ',' || spec[i] == '_')) {
    thousands = true;
    ++i;
  }
  int precision = -1;
  if (i < spec.size() && spec[i] == '.') {
    ++i;
    precision = 0;
    while (i < spec.size() && std::isdigit(static_cast<unsigned char>(spec[i]))) {
      precision = precision * 10 + (spec[i++] - '0');
    }
  }
  char type = i < spec.size() ? spec[i] : 0;
  std::string sign_flag = sign == '-' ? "" : std::string(1, sign);
  std::string body;
  bool numeric = true;
  if (type == 'd' || (type == 0 && (value.IsInt() || value.IsBool()) && precision < 0)) {
    if (type == 0 && value.IsBool()) {
      body = value.Str();
      numeric = false;
    } else {
      body = FormatWithPrintf("%" + sign_flag + "lld", ToIntForFormat(value, 'd'));
    }
  } else if (type == 'f' || type == 'F' || type == 'e' || type == 'E' || type == 'g' ||
             type == 'G' || type == '%') {
    double d = ToDoubleForFormat(value, type);
    if (type == '%') d *= 100;
    std::string t = type == '%' ? "f" : std::string(1, type);
    body = FormatWithPrintf(
        "%" + sign_flag + "." + std::to_string(precision < 0 ? 6 : precision) + t, d);
    if (type == '%') body += '%';
  } else if (type == 0 && value.IsFloat()) {
    body = precision < 0 ? FormatFloat(value.AsDouble())
                         : FormatWithPrintf("%" + sign_flag + "." + std::to_string(precision) + "g",
                                            value.AsDouble());
    if (sign == '+' && value.AsDouble() >= 0 && precision < 0) body = "+" + body;
  } else if (type == 'x' || type == 'X' || type == 'o' || type == 'b') {
    int64_t n = ToIntForFormat(value, type);
    if (type == 'b') {
      uint64_t u = static_cast<uint64_t>(n < 0 ? -n : n);
      do {
        body.insert(body.begin(), static_cast<char>('0' + (u & 1)));
        u >>= 1;
      } while (u);
      if (n < 0) body = "-" + body;
    } else {
      body = FormatWithPrintf(std::string("%ll") + type, n);
    }
  } else {
    numeric = false;
    body = value.Str();
    if (precision >= 0 && static_cast<size_t>(precision) < body.size()) {
      body.resize(static_cast<size_t>(precision));
    }
  }
  if (thousands && numeric) body = InsertThousands(body);
  return Pad(std::move(body), width, fill, align ? align : (numeric ? '>' : '<'));
}

}  // namespace

std::string PercentFormat(std::string_view fmt, const Value& args) {
  List positional;
  const Dict* mapping = nullptr;
  if (args.IsTuple()) {
    positional = args.AsList();
  } else {
    if (args.IsDict()) mapping = &args.AsDict();
    positional.push_back(args);
  }
  size_t next_arg = 0;
  bool used_mapping = false;
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] != '%') {
      out += fmt[i];
      continue;
    }
    if (++i >= fmt.size()) throw JinjaError("incomplete format");
    if (fmt[i] == '%') {
      out += '%';
      continue;
    }
    const Value* arg = nullptr;
    if (fmt[i] == '(') {
      size_t close = fmt.find(')', i);
      if (close == std::string_view::npos) throw JinjaError("incomplete format key");
      if (!mapping) throw JinjaError("format requires a mapping");
      std::string key(fmt.substr(i + 1, close - i - 1));
      arg = mapping->FindKey(key);
      if (!arg) throw JinjaError("KeyError: " + ReprString(key));
      used_mapping = true;
      i = close + 1;
    }
    std::string flags;
    while (i < fmt.size() && std::string_view("-+ 0#").find(fmt[i]) != std::string_view::npos) {
      flags += fmt[i++];
    }
    std::string width;
    while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) width += fmt[i++];
    std::string precision;
    if (i < fmt.size() && fmt[i] == '.') {
      precision = ".";
      ++i;
      while (i < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[i]))) {
        precision += fmt[i++];
      }
    }
    while (i < fmt.size() && (fmt[i] == 'l' || fmt[i] == 'h' || fmt[i] == 'L')) ++i;
    if (i >= fmt.size()) throw JinjaError("incomplete format");
    char type = fmt[i];
    if (!arg) {
      if (next_arg >= positional.size()) throw JinjaError("not enough arguments for format string");
      arg = &positional[next_arg++];
    }
    std::string spec = "%";
    spec += flags;
    spec += width;
    spec += precision;
    switch (type) {
      case 's':
      case 'r':
      case 'a': {
        std::string s = type == 's' ? arg->Str() : arg->Repr();
        if (precision.size() > 1) {
          size_t p = static_cast<size_t>(std::stoul(precision.substr(1)));
          if (p < s.size()) s.resize(p);
        }
        size_t w = width.empty() ? 0 : static_cast<size_t>(std::stoul(width));
        out += Pad(std::move(s), w, ' ', flags.find('-') != std::string::npos ? '<' : '>');
        break;
      }
      case 'd':
      case 'i':
      case 'u':
        out += FormatWithPrintf(spec + "lld", ToIntForFormat(*arg, type));
        break;
      case 'x':
      case 'X':
      case 'o':
        out += FormatWithPrintf(spec + "ll" + type, ToIntForFormat(*arg, type));
        break;
      case 'f':
      case 'F':
      case 'e':
      case 'E':
      case 'g':
      case 'G':
        out += FormatWithPrintf(spec + type, ToDoubleForFormat(*arg, type));
        break;
      case 'c':
        if (arg->IsString()) {
          out += arg->AsString();
        } else {
          out += static_cast<char>(ToIntForFormat(*arg, 'c'));
        }
        break;
      default:
        throw JinjaError(fmt::format("unsupported format character '{}'", type));
    }
  }
  if (!used_mapping && next_arg < positional.size() && !(mapping && next_arg == 0)) {
    throw JinjaError("not all arguments converted during string formatting");
  }
  return out;
}

std::string BraceFormat(std::string_view fmt, const CallArgs& args) {
  std::string out;
  size_t auto_index = 0;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') ++i;
      out += '}';
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out += '{';
      ++i;
      continue;
    }
    size_t close = fmt.find('}', i);
    if (close == std::string_view::npos)
      throw JinjaError("single '{' encountered in format string");
    std::string_view field = fmt.substr(i + 1, close - i - 1);
    i = close;
    std::string_view spec;
    if (size_t colon = field.find(':'); colon != std::string_view::npos) {
      spec = field.substr(colon + 1);
      field = field.substr(0, colon);
    }
    char conversion = 0;
    if (size_t bang = field.find('!'); bang != std::string_view::npos) {
      conversion = bang + 1 < field.size() ? field[bang + 1] : 0;
      field = field.substr(0, bang);
    }
    std::string_view name = field;
    std::string_view attribute;
    if (size_t dot = field.find('.'); dot != std::string_view::npos) {
      name = field.substr(0, dot);
      attribute = field.substr(dot + 1);
    }
    Value value;
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) {
      size_t index =
          name.empty() ? auto_index++ : static_cast<size_t>(std::stoul(std::string(name)));
      if (index >= args.positional.size()) {
        throw JinjaError("Replacement index " + std::to_string(index) +
                         " out of range for positional args tuple");
      }
      value = args.positional[index];
    } else {
      const Value* kw = args.Keyword(name);
      if (!kw) throw JinjaError("KeyError: " + ReprString(name));
      value = *kw;
    }
    if (!attribute.empty()) value = GetAttribute(value, attribute);
    if (conversion == 'r') value = Value(value.Repr());
    if (conversion == 's') value = Value(value.Str());
    out += ApplyFormatSpec(value, spec);
  }
  return out;
}

}  // namespace sluice::jinja
