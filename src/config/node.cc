#include "config/node.h"

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace envmon::config {

std::string_view field_type_name(FieldType t) {
  switch (t) {
    case FieldType::integer:
      return "integer";
    case FieldType::number:
      return "number";
    case FieldType::boolean:
      return "boolean";
    case FieldType::string:
      return "string";
    case FieldType::enumeration:
      return "enum";
    case FieldType::string_list:
      return "list of strings";
  }
  return "?";
}

int Node::line() const {
  if (!yaml_.IsDefined() || yaml_.IsNull()) return line_hint_;
  const YAML::Mark m = yaml_.Mark();
  return m.line >= 0 ? m.line + 1 : line_hint_;
}

Node Node::child(std::string_view key) const {
  std::string path = path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  if (!yaml_.IsMap()) return Node(YAML::Node(YAML::NodeType::Undefined), file_, path, line());
  // Look up by iterating so the parent node is never mutated (operator[] may insert).
  for (const auto& kv : yaml_) {
    // A null value ("key:") has no mark of its own; the key's line stands in.
    if (kv.first.Scalar() == key) return Node(kv.second, file_, path, kv.first.Mark().line + 1);
  }
  return Node(YAML::Node(YAML::NodeType::Undefined), file_, path, line());
}

Node Node::item(size_t index) const {
  return Node(yaml_[index], file_, path_ + "[" + std::to_string(index) + "]", line());
}

std::vector<std::string> Node::keys() const {
  std::vector<std::string> out;
  if (!yaml_.IsMap()) return out;
  for (const auto& kv : yaml_)
    out.push_back(kv.first.Scalar());
  return out;
}

Result<std::string> Node::scalar() const {
  if (!yaml_.IsScalar()) return error(Errc::config_bad_value, "expected a single value");
  return yaml_.Scalar();
}

Error Node::error(Errc code, std::string_view message) const {
  // Built with append() only: GCC 12 reports a false -Wrestrict on chained operator+ here.
  std::string out;
  out.reserve(file_.size() + path_.size() + message.size() + 16);
  out.append(file_);
  const int l = line();
  if (l > 0) out.append(":").append(std::to_string(l));
  out.append(": ");
  out.append(path_.empty() ? std::string_view("(top level)") : std::string_view(path_));
  out.append(": ");
  out.append(message);
  return Error(code, out);
}

Result<std::string> substitute_env(const std::string& text, const std::string& name) {
  std::string out;
  out.reserve(text.size());
  int line = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') ++line;
    if (c != '$' || i + 1 >= text.size() || text[i + 1] != '{') {
      out.push_back(c);
      continue;
    }
    const size_t close = text.find('}', i + 2);
    if (close == std::string::npos || text.find('\n', i) < close) {
      return Error(Errc::config_parse,
                   name + ":" + std::to_string(line) + ": unterminated ${...} reference");
    }
    std::string ref = text.substr(i + 2, close - i - 2);
    std::string fallback;
    bool has_fallback = false;
    if (const size_t dash = ref.find(":-"); dash != std::string::npos) {
      fallback = ref.substr(dash + 2);
      ref = ref.substr(0, dash);
      has_fallback = true;
    }
    const char* value = std::getenv(ref.c_str());
    if (value == nullptr && !has_fallback) {
      return Error(Errc::config_env_missing,
                   name + ":" + std::to_string(line) + ": environment variable " + ref +
                       " is not set (referenced as ${" + ref + "}; use ${" + ref +
                       ":-default} for an optional value)");
    }
    out += value != nullptr ? value : fallback;
    i = close;
  }
  return out;
}

Result<Node> load_text(const std::string& text, const std::string& name) {
  auto substituted = substitute_env(text, name);
  if (!substituted.ok()) return substituted.error();
  try {
    YAML::Node root = YAML::Load(*substituted);
    return Node(root, name, "");
  } catch (const YAML::Exception& e) {
    return Error(Errc::config_parse, name + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Result<Node> load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Error(Errc::config_parse, path + ": cannot open config file");
  std::stringstream ss;
  ss << in.rdbuf();
  return load_text(ss.str(), path);
}

std::string valid_keys(const std::vector<FieldSpec>& specs, const std::vector<std::string>& extra) {
  std::string out;
  for (const auto& s : specs)
    out += (out.empty() ? "" : ", ") + s.key;
  for (const auto& e : extra)
    out += (out.empty() ? "" : ", ") + e;
  return out;
}

namespace detail {
namespace {

// Bounds as people write them: 2147483647, not 2.14748e+09.
std::string bound_text(double v) {
  std::ostringstream out;
  out.precision(15);
  out << v;
  return out.str();
}

Status check_range(const Node& value, const FieldSpec& spec, double v) {
  if (v < spec.min || v > spec.max) {
    std::ostringstream msg;
    msg << "value " << bound_text(v) << " out of range [" << bound_text(spec.min) << ", "
        << bound_text(spec.max) << "]";
    if (!spec.unit.empty()) msg << " " << spec.unit;
    return value.error(Errc::config_bad_value, msg.str());
  }
  return ok_status();
}

Result<int64_t> parse_int(std::string_view text) {
  if (text.empty()) return Error(Errc::config_bad_value, "empty");
  std::string s(text);
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno != 0 || end != s.c_str() + s.size())
    return Error(Errc::config_bad_value, "not an integer");
  return static_cast<int64_t>(v);
}

Result<double> parse_double(std::string_view text) {
  if (text.empty()) return Error(Errc::config_bad_value, "empty");
  std::string s(text);
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v))
    return Error(Errc::config_bad_value, "not a number");
  return v;
}

Result<bool> parse_bool(std::string_view t) {
  if (t == "true" || t == "yes" || t == "on") return true;
  if (t == "false" || t == "no" || t == "off") return false;
  return Error(Errc::config_bad_value, "not a boolean");
}

std::string got(const Node& value) {
  if (value.yaml().IsScalar()) return " (got '" + value.yaml().Scalar() + "')";
  if (value.yaml().IsSequence()) return " (got a list)";
  if (value.yaml().IsMap()) return " (got a mapping)";
  return "";
}

}  // namespace

Status set_scalar(const Node& value, const FieldSpec& spec, int64_t& target) {
  auto text = value.scalar();
  auto v = text.ok() ? parse_int(*text) : Result<int64_t>(text.error());
  if (!v.ok()) return value.error(Errc::config_bad_value, "expected an integer" + got(value));
  ENVMON_TRY(check_range(value, spec, static_cast<double>(*v)));
  target = *v;
  return ok_status();
}

Status set_scalar(const Node& value, const FieldSpec& spec, double& target) {
  auto text = value.scalar();
  auto v = text.ok() ? parse_double(*text) : Result<double>(text.error());
  if (!v.ok()) return value.error(Errc::config_bad_value, "expected a number" + got(value));
  ENVMON_TRY(check_range(value, spec, *v));
  target = *v;
  return ok_status();
}

Status set_scalar(const Node& value, const FieldSpec&, bool& target) {
  auto text = value.scalar();
  auto v = text.ok() ? parse_bool(*text) : Result<bool>(text.error());
  if (!v.ok()) return value.error(Errc::config_bad_value, "expected true or false" + got(value));
  target = *v;
  return ok_status();
}

Status set_scalar(const Node& value, const FieldSpec&, std::string& target) {
  auto text = value.scalar();
  if (!text.ok()) return value.error(Errc::config_bad_value, "expected a string" + got(value));
  target = *text;
  return ok_status();
}

Status set_scalar(const Node& value, const FieldSpec&, std::vector<std::string>& target) {
  if (!value.is_sequence())
    return value.error(Errc::config_bad_value, "expected a list" + got(value));
  target.clear();
  for (size_t i = 0; i < value.size(); ++i) {
    auto s = value.item(i).scalar();
    if (!s.ok()) return s.error();
    target.push_back(*s);
  }
  return ok_status();
}

template <typename V>
Status set_default_impl(const FieldSpec& spec, const Node& value, V& target) {
  if (spec.required) return value.error(Errc::config_missing_key, "required key is missing");
  if (spec.default_value.empty() && spec.type == FieldType::string) return ok_status();
  return set_scalar(Node(YAML::Load(spec.default_value.empty() ? "\"\"" : spec.default_value),
                         value.file(), value.path()),
                    spec, target);
}

Status set_default(const FieldSpec& spec, const Node& p, int64_t& t) {
  return set_default_impl(spec, p, t);
}
Status set_default(const FieldSpec& spec, const Node& p, double& t) {
  return set_default_impl(spec, p, t);
}
Status set_default(const FieldSpec& spec, const Node& p, bool& t) {
  return set_default_impl(spec, p, t);
}
Status set_default(const FieldSpec& spec, const Node& p, std::string& t) {
  if (spec.required) return p.error(Errc::config_missing_key, "required key is missing");
  t = spec.default_value;
  return ok_status();
}
Status set_default(const FieldSpec& spec, const Node& p, std::vector<std::string>& t) {
  if (spec.required) return p.error(Errc::config_missing_key, "required key is missing");
  t.clear();
  return ok_status();
}

Status set_enum(const Node& value, const FieldSpec& spec,
                const std::function<Status(std::string_view)>& setter) {
  auto text = value.scalar();
  std::string choices;
  for (const auto& c : spec.choices)
    choices += (choices.empty() ? "" : ", ") + c;
  if (!text.ok() || !setter(*text).ok()) {
    return value.error(Errc::config_bad_value,
                       "invalid value" + got(value) + "; valid choices: " + choices);
  }
  return ok_status();
}

}  // namespace detail

Status join_errors(const std::vector<Error>& errors) {
  if (errors.empty()) return ok_status();
  std::string msg;
  for (const auto& e : errors)
    msg += (msg.empty() ? "" : "\n") + e.message();
  return Error(errors.front().code(), msg);
}
}  // namespace envmon::config
