#pragma once
// Template body of config::fill (included from node.h).

#include <algorithm>

namespace envmon::config {

namespace detail {

Status set_scalar(const Node& value, const FieldSpec& spec, int64_t& target);
Status set_scalar(const Node& value, const FieldSpec& spec, double& target);
Status set_scalar(const Node& value, const FieldSpec& spec, bool& target);
Status set_scalar(const Node& value, const FieldSpec& spec, std::string& target);
Status set_scalar(const Node& value, const FieldSpec& spec, std::vector<std::string>& target);
Status set_default(const FieldSpec& spec, const Node& parent, int64_t& target);
Status set_default(const FieldSpec& spec, const Node& parent, double& target);
Status set_default(const FieldSpec& spec, const Node& parent, bool& target);
Status set_default(const FieldSpec& spec, const Node& parent, std::string& target);
Status set_default(const FieldSpec& spec, const Node& parent, std::vector<std::string>& target);
Status set_enum(const Node& value, const FieldSpec& spec,
                const std::function<Status(std::string_view)>& setter);

}  // namespace detail

template <typename T>
Status fill(const Node& node, const Schema<T>& schema, T& out,
            const std::vector<std::string>& passthrough) {
  std::vector<Error> errors;
  if (node.defined() && !node.is_map()) {
    return node.error(Errc::config_bad_value, "expected a mapping of keys; valid keys: " +
                                                  valid_keys(schema.specs(), passthrough));
  }
  for (const auto& key : node.defined() ? node.keys() : std::vector<std::string>{}) {
    const bool known = std::any_of(schema.fields().begin(), schema.fields().end(),
                                   [&](const auto& f) { return f.spec.key == key; }) ||
                       std::find(passthrough.begin(), passthrough.end(), key) != passthrough.end();
    if (!known) {
      errors.push_back(node.child(key).error(
          Errc::config_unknown_key,
          "unknown key; valid keys: " + valid_keys(schema.specs(), passthrough)));
    }
  }
  for (const auto& field : schema.fields()) {
    const Node value = node.child(field.spec.key);
    Status s = std::visit(
        [&](auto&& target) -> Status {
          using V = std::decay_t<decltype(target)>;
          if constexpr (std::is_same_v<V, typename Schema<T>::Setter>) {
            const std::string text =
                value.defined() ? value.scalar().value_or("") : field.spec.default_value;
            if (!value.defined()) return target(out, text);
            return detail::set_enum(value, field.spec,
                                    [&](std::string_view t) { return target(out, t); });
          } else {
            if (!value.defined()) return detail::set_default(field.spec, value, out.*target);
            return detail::set_scalar(value, field.spec, out.*target);
          }
        },
        field.target);
    if (!s.ok()) errors.push_back(s.error());
  }
  return join_errors(errors);
}

}  // namespace envmon::config
