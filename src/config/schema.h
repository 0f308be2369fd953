#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.h"

namespace envmon::config {

enum class FieldType { integer, number, boolean, string, enumeration, string_list };
std::string_view field_type_name(FieldType t);

// One key of a component's config: declared once, next to the struct it fills. The loader, the
// validator and `envmon config schema` all read this table; nothing else reads the YAML.
struct FieldSpec {
  std::string key;
  FieldType type = FieldType::string;
  std::string default_value;  // as YAML text; empty + required=false means "no default"
  std::string unit;           // also in the key name (poll_interval_secs); shown in the schema
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> choices;  // enumeration only
  std::string description;
  bool secret = false;    // never logged, never printed by `config check`
  bool required = false;  // no default: the user must set it
};

// A section of `envmon config schema`: where the keys go in the file and what they are.
struct SchemaDoc {
  std::string section;  // "sources[].simulator", "store.sqlite", "processor"
  std::string description;
  std::vector<FieldSpec> fields;
};

// A typed schema for struct T: field specs plus how each value lands in T.
template <typename T>
class Schema {
 public:
  using Setter = std::function<Status(T&, std::string_view text)>;
  struct Field {
    FieldSpec spec;
    std::variant<int64_t T::*, double T::*, bool T::*, std::string T::*,
                 std::vector<std::string> T::*, Setter>
        target;
  };

  explicit Schema(std::string name) : name_(std::move(name)) {}

  Schema& integer(std::string key, int64_t T::*member, std::optional<int64_t> def, std::string unit,
                  double min, double max, std::string description) {
    return add({std::move(key), FieldType::integer, def ? std::to_string(*def) : "", std::move(unit),
                min, max, {}, std::move(description), false, !def},
               member);
  }
  Schema& number(std::string key, double T::*member, std::optional<double> def, std::string unit,
                 double min, double max, std::string description) {
    return add({std::move(key), FieldType::number, def ? format_number(*def) : "", std::move(unit),
                min, max, {}, std::move(description), false, !def},
               member);
  }
  Schema& boolean(std::string key, bool T::*member, bool def, std::string description) {
    return add({std::move(key), FieldType::boolean, def ? "true" : "false", "", 0, 1, {},
                std::move(description), false, false},
               member);
  }
  Schema& string(std::string key, std::string T::*member, std::optional<std::string> def,
                 std::string description, bool secret = false) {
    const bool required = !def.has_value();
    return add({std::move(key), FieldType::string, def.value_or(""), "", 0, 0, {},
                std::move(description), secret, required},
               member);
  }
  Schema& string_list(std::string key, std::vector<std::string> T::*member, std::string description) {
    return add({std::move(key), FieldType::string_list, "[]", "", 0, 0, {}, std::move(description),
                false, false},
               member);
  }
  // An enum member with its spelling table: enums, not piles of booleans.
  template <typename E>
  Schema& enumeration(std::string key, E T::*member, E def,
                      std::vector<std::pair<std::string, E>> spellings, std::string description) {
    FieldSpec spec{std::move(key), FieldType::enumeration, "", "", 0, 0, {}, std::move(description),
                   false, false};
    for (const auto& [name, value] : spellings) {
      spec.choices.push_back(name);
      if (value == def) spec.default_value = name;
    }
    Setter setter = [member, spellings](T& obj, std::string_view text) -> Status {
      for (const auto& [name, value] : spellings) {
        if (name == text) {
          obj.*member = value;
          return ok_status();
        }
      }
      return Error(Errc::config_bad_value, "not a valid choice");
    };
    fields_.push_back(Field{std::move(spec), std::move(setter)});
    return *this;
  }

  const std::string& name() const { return name_; }
  const std::vector<Field>& fields() const { return fields_; }
  std::vector<FieldSpec> specs() const {
    std::vector<FieldSpec> out;
    for (const auto& f : fields_) out.push_back(f.spec);
    return out;
  }

 private:
  template <typename M>
  Schema& add(FieldSpec spec, M member) {
    fields_.push_back(Field{std::move(spec), member});
    return *this;
  }
  static std::string format_number(double v) {
    std::string s = std::to_string(v);
    while (s.size() > 1 && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  std::string name_;
  std::vector<Field> fields_;
};

}  // namespace envmon::config
