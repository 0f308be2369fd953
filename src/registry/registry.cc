#include "registry/registry.h"

#include <algorithm>
#include <charconv>

namespace envmon::registry {

std::string_view run_status_name(RunStatus s) {
  switch (s) {
    case RunStatus::running: return "RUNNING";
    case RunStatus::finished: return "FINISHED";
    case RunStatus::failed: return "FAILED";
    case RunStatus::killed: return "KILLED";
  }
  return "RUNNING";
}

Result<RunStatus> parse_run_status(std::string_view text) {
  for (auto s : {RunStatus::running, RunStatus::finished, RunStatus::failed, RunStatus::killed}) {
    if (run_status_name(s) == text) return s;
  }
  return Error(Errc::invalid_argument, "unknown run status '" + std::string(text) +
                                           "'; valid: RUNNING, FINISHED, FAILED, KILLED");
}

std::optional<double> Run::latest(const std::string& key) const {
  const auto it = metrics.find(key);
  if (it == metrics.end() || it->second.empty()) return std::nullopt;
  return it->second.back().value;
}

Status check_name(std::string_view what, std::string_view name) {
  const bool chars_ok = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.';
  });
  if (name.empty() || name.size() > 200 || name.front() == '.' || !chars_ok) {
    return Error(Errc::invalid_argument,
                 std::string(what) + " '" + std::string(name) +
                     "' is not a valid name (1..200 of A-Z a-z 0-9 _ - ., not starting with '.')");
  }
  return ok_status();
}

Result<std::string> get_or_create_experiment(Registry& reg, const std::string& name) {
  auto found = reg.experiment_by_name(name);
  if (found.ok()) return found->id;
  if (found.error().code() != Errc::not_found) return found.error();
  auto created = reg.create_experiment(name);
  if (created.ok()) return created;
  // Another process may have created it between the two calls.
  auto again = reg.experiment_by_name(name);
  if (again.ok()) return again->id;
  return created.error();
}

Result<ModelVersion> resolve_model(Registry& reg, const std::string& name,
                                   const std::string& version_or_alias) {
  if (version_or_alias == "latest") {
    auto all = reg.model_versions(name);
    if (!all.ok()) return all.error();
    if (all->empty()) return Error(Errc::not_found, "model '" + name + "' has no versions");
    return all->back();
  }
  int64_t v = 0;
  const char* b = version_or_alias.data();
  const char* e = b + version_or_alias.size();
  if (auto [p, ec] = std::from_chars(b, e, v); ec == std::errc() && p == e && !version_or_alias.empty())
    return reg.get_model_version(name, v);
  return reg.get_model_version_by_alias(name, version_or_alias);
}

Result<std::string> load_model_bytes(Registry& reg, const ModelVersion& mv) {
  return reg.load_artifact(mv.run_id, mv.artifact);
}

}  // namespace envmon::registry
