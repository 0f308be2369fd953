#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/schema.h"
#include "core/result.h"

namespace envmon::config {

// A YAML node that remembers where it came from, so every error can say file, line and key.
class Node {
 public:
  Node() = default;
  Node(YAML::Node yaml, std::string file, std::string path, int line_hint = 0)
      : yaml_(std::move(yaml)),
        file_(std::move(file)),
        path_(std::move(path)),
        line_hint_(line_hint) {}

  const YAML::Node& yaml() const { return yaml_; }
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }  // "sources[0].poll_interval_secs"
  int line() const;                                  // 1-based; 0 when unknown
  bool defined() const { return yaml_.IsDefined() && !yaml_.IsNull(); }
  bool is_map() const { return yaml_.IsMap(); }
  bool is_sequence() const { return yaml_.IsSequence(); }

  Node child(std::string_view key) const;
  Node item(size_t index) const;
  size_t size() const { return yaml_.size(); }
  std::vector<std::string> keys() const;
  // The scalar text, or an error naming this node.
  Result<std::string> scalar() const;

  // "config.yaml:12: sources[0].poll_interval_secs: <message>"
  Error error(Errc code, std::string_view message) const;

 private:
  YAML::Node yaml_;
  std::string file_;
  std::string path_;
  int line_hint_ = 0;  // for a missing key: the line of the mapping that should hold it
};

// Reads a YAML file after substituting ${VAR} and ${VAR:-default} from the environment.
// A reference to an unset variable without a default is an error naming file and line.
Result<Node> load_file(const std::string& path);
Result<Node> load_text(const std::string& text, const std::string& name);
Result<std::string> substitute_env(const std::string& text, const std::string& name);

// Fills `out` from `node` through `schema`: defaults first, then the given keys. Unknown keys,
// wrong types, out-of-range numbers and bad enum values are errors (all of them, one per line)
// that name file, line and key and list the valid keys or choices. `passthrough` keys are left
// for the caller (for example the `type` of a tagged section or its variant block).
Status apply_field(const Node& value, const FieldSpec& spec, std::string_view text,
                   const std::function<Status(std::string_view)>& set);

// Several config errors as one (each already names file, line and key), one per line; the code
// is the first error's.
Status join_errors(const std::vector<Error>& errors);

template <typename T>
Status fill(const Node& node, const Schema<T>& schema, T& out,
            const std::vector<std::string>& passthrough = {});

std::string valid_keys(const std::vector<FieldSpec>& specs, const std::vector<std::string>& extra);

}  // namespace envmon::config

#include "config/node_fill.h"
