// The file backend of the model registry: an mlruns-like tree written through RegistryFiles
// (temp file + fsync + rename, or link() for write-once artifacts), with a flock on
// `<root>/.lock` around every read-modify-write so several processes can share one registry.
//
//   experiments/<id>/meta.json        {"id","name","created_ms"}
//   runs/<run_id>/run.json            status, params, tags, metric histories, artifact names
//   runs/<run_id>/artifacts/<name>    the bytes, write-once
//   models/<name>/v<N>.json           {"name","version","run_id","artifact","created_ms"}
//   models/<name>/aliases.json        {"champion": 3, ...}
#include <algorithm>
#include <functional>
#include <random>

#include "registry/file/file_registry_config.h"
#include "registry/file/registry_files.h"
#include "registry/file/registry_json.h"
#include "registry/file/registry_lock.h"

namespace envmon::registry::file {

namespace {

Timestamp now_ms() {
  return std::chrono::time_point_cast<Millis>(std::chrono::system_clock::now());
}

std::string new_run_id() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (auto& c : id) c = kHex[rng() & 15];
  return id;
}

std::string run_key(const std::string& run_id) { return "runs/" + run_id + "/run.json"; }
std::string version_key(const std::string& name, int64_t v) {
  return "models/" + name + "/v" + std::to_string(v) + ".json";
}
std::string aliases_key(const std::string& name) { return "models/" + name + "/aliases.json"; }

class FileRegistry final : public Registry {
 public:
  explicit FileRegistry(FileRegistryConfig cfg)
      : cfg_(std::move(cfg)), files_(cfg_.path) {}

  Result<std::string> create_experiment(const std::string& name) override {
    ENVMON_TRY(check_name("experiment", name));
    auto lock = locked(RegistryLock::Mode::exclusive);
    if (!lock.ok()) return lock.error();
    auto all = list_experiments();
    if (!all.ok()) return all.error();
    int64_t next = 0;
    for (const auto& e : *all) {
      if (e.name == name)
        return Error(Errc::invalid_argument, "experiment '" + name + "' already exists");
      next = std::max<int64_t>(next, std::strtoll(e.id.c_str(), nullptr, 10) + 1);
    }
    const Experiment e{std::to_string(next), name, now_ms()};
    ENVMON_TRY(put_doc("experiments/" + e.id + "/meta.json", experiment_to_json(e)));
    return e.id;
  }

  Result<Experiment> experiment_by_name(const std::string& name) override {
    auto all = experiments();
    if (!all.ok()) return all.error();
    for (auto& e : *all)
      if (e.name == name) return e;
    return Error(Errc::not_found, "experiment '" + name + "' not found");
  }

  Result<std::vector<Experiment>> experiments() override {
    auto lock = locked(RegistryLock::Mode::shared);
    if (!lock.ok()) return lock.error();
    return list_experiments();
  }

  Result<std::string> create_run(const std::string& experiment_id,
                                 const std::string& run_name) override {
    auto lock = locked(RegistryLock::Mode::exclusive);
    if (!lock.ok()) return lock.error();
    if (!files_.exists("experiments/" + safe(experiment_id) + "/meta.json"))
      return Error(Errc::not_found, "experiment id '" + experiment_id + "' not found");
    Run r;
    r.run_id = new_run_id();
    r.experiment_id = experiment_id;
    r.run_name = run_name.empty() ? r.run_id.substr(0, 8) : run_name;
    r.start_time = now_ms();
    ENVMON_TRY(put_doc(run_key(r.run_id), run_to_json(r)));
    return r.run_id;
  }

  Status log_param(const std::string& run_id, const std::string& key,
                   const std::string& value) override {
    ENVMON_TRY(check_name("param", key));
    return mutate_running(run_id, [&](Run& r) -> Status {
      const auto it = r.params.find(key);
      if (it != r.params.end() && it->second != value)
        return Error(Errc::invalid_argument, "param '" + key + "' of run " + run_id +
                                                 " already set to '" + it->second + "'");
      r.params[key] = value;
      return ok_status();
    });
  }

  Status log_metric(const std::string& run_id, const std::string& key, double value,
                    int64_t step) override {
    ENVMON_TRY(check_name("metric", key));
    return mutate_running(run_id, [&](Run& r) -> Status {
      r.metrics[key].push_back({value, step, now_ms()});
      return ok_status();
    });
  }

  Status set_tag(const std::string& run_id, const std::string& key,
                 const std::string& value) override {
    ENVMON_TRY(check_name("tag", key));
    return mutate_running(run_id, [&](Run& r) -> Status {
      r.tags[key] = value;
      return ok_status();
    });
  }

  Status log_artifact(const std::string& run_id, const std::string& name,
                      std::string_view bytes) override {
    ENVMON_TRY(check_name("artifact", name));
    return mutate_running(run_id, [&](Run& r) -> Status {
      ENVMON_TRY(files_.write(artifact_key(run_id, name), bytes, RegistryFiles::Publish::write_once));
      r.artifacts.insert(std::upper_bound(r.artifacts.begin(), r.artifacts.end(), name), name);
      return ok_status();
    });
  }

  Result<std::string> load_artifact(const std::string& run_id, const std::string& name) override {
    ENVMON_TRY(check_name("artifact", name));
    auto lock = locked(RegistryLock::Mode::shared);
    if (!lock.ok()) return lock.error();
    auto bytes = files_.read(artifact_key(run_id, name));
    if (!bytes.ok())
      return Error(Errc::not_found, "artifact '" + name + "' of run " + run_id + " not found");
    return bytes;
  }

  Status end_run(const std::string& run_id, RunStatus status) override {
    if (status == RunStatus::running)
      return Error(Errc::invalid_argument, "end_run needs a final status, not RUNNING");
    return mutate_running(run_id, [&](Run& r) -> Status {
      r.status = status;
      r.end_time = now_ms();
      return ok_status();
    });
  }

  Result<Run> get_run(const std::string& run_id) override {
    auto lock = locked(RegistryLock::Mode::shared);
    if (!lock.ok()) return lock.error();
    return read_run(run_id);
  }

  Result<std::vector<Run>> search_runs(const RunQuery& q) override;

  Result<int64_t> register_model(const std::string& name, const std::string& run_id,
                                 const std::string& artifact) override;

  Status set_alias(const std::string& name, const std::string& alias, int64_t version) override {
    ENVMON_TRY(check_name("alias", alias));
    if (alias == "latest" || std::all_of(alias.begin(), alias.end(), ::isdigit))
      return Error(Errc::invalid_argument, "alias '" + alias + "' is reserved or a version number");
    auto lock = locked(RegistryLock::Mode::exclusive);
    if (!lock.ok()) return lock.error();
    auto mv = read_version(name, version);
    if (!mv.ok()) return mv.error();
    auto aliases = read_aliases(name);
    if (!aliases.ok()) return aliases.error();
    (*aliases)[alias] = version;
    return put_doc(aliases_key(name), Json(*aliases));
  }

  Result<ModelVersion> get_model_version(const std::string& name, int64_t version) override {
    auto lock = locked(RegistryLock::Mode::shared);
    if (!lock.ok()) return lock.error();
    return read_version_with_aliases(name, version);
  }

  Result<ModelVersion> get_model_version_by_alias(const std::string& name,
                                                  const std::string& alias) override {
    auto lock = locked(RegistryLock::Mode::shared);
    if (!lock.ok()) return lock.error();
    auto aliases = read_aliases(name);
    if (!aliases.ok()) return aliases.error();
    const auto it = aliases->find(alias);
    if (it == aliases->end())
      return Error(Errc::not_found, "model '" + name + "' has no alias '" + alias + "'");
    return read_version_with_aliases(name, it->second);
  }

  Result<std::vector<ModelVersion>> model_versions(const std::string& name) override;

 private:
  Result<RegistryLock> locked(RegistryLock::Mode mode) {
    return RegistryLock::acquire(cfg_.path, mode, Millis(cfg_.lock_timeout_ms));
  }

  // Ids come from callers (and, for a server backend, from users): never let one escape the tree.
  static std::string safe(const std::string& id) { return check_name("id", id).ok() ? id : "_"; }
  static std::string artifact_key(const std::string& run_id, const std::string& name) {
    return "runs/" + safe(run_id) + "/artifacts/" + name;
  }
  std::string where(const std::string& key) const { return cfg_.path + "/" + key; }

  Status put_doc(const std::string& key, const Json& doc) {
    return files_.write(key, doc.dump(1), RegistryFiles::Publish::replace);
  }

  Result<Json> get_doc(const std::string& key) {
    auto text = files_.read(key);
    if (!text.ok()) return text.error();
    return parse_doc(*text, where(key));
  }

  Result<std::vector<Experiment>> list_experiments();
  Result<Run> read_run(const std::string& run_id);
  Result<ModelVersion> read_version(const std::string& name, int64_t version);
  Result<ModelVersion> read_version_with_aliases(const std::string& name, int64_t version);
  Result<std::map<std::string, int64_t>> read_aliases(const std::string& name);
  Result<std::vector<ModelVersion>> model_versions_unlocked(const std::string& name);
  Status mutate_running(const std::string& run_id, const std::function<Status(Run&)>& change);

  FileRegistryConfig cfg_;
  RegistryFiles files_;
};

Result<std::vector<Experiment>> FileRegistry::list_experiments() {
  auto keys = files_.find("experiments", "meta.json");
  if (!keys.ok()) return keys.error();
  std::vector<Experiment> out;
  for (const auto& key : *keys) {
    auto doc = get_doc(key);
    if (!doc.ok()) return doc.error();
    auto e = experiment_from_json(*doc, where(key));
    if (!e.ok()) return e.error();
    out.push_back(std::move(*e));
  }
  return out;
}

Result<Run> FileRegistry::read_run(const std::string& run_id) {
  auto doc = get_doc(run_key(safe(run_id)));
  if (!doc.ok() && doc.error().code() == Errc::not_found)
    return Error(Errc::not_found, "run '" + run_id + "' not found");
  if (!doc.ok()) return doc.error();
  return run_from_json(*doc, where(run_key(run_id)));
}

Status FileRegistry::mutate_running(const std::string& run_id,
                                    const std::function<Status(Run&)>& change) {
  auto lock = locked(RegistryLock::Mode::exclusive);
  if (!lock.ok()) return lock.error();
  auto run = read_run(run_id);
  if (!run.ok()) return run.error();
  if (run->status != RunStatus::running)
    return Error(Errc::invalid_argument,
                 "run " + run_id + " has ended (" + std::string(run_status_name(run->status)) + ")");
  ENVMON_TRY(change(*run));
  return put_doc(run_key(run_id), run_to_json(*run));
}

Result<std::vector<Run>> FileRegistry::search_runs(const RunQuery& q) {
  auto lock = locked(RegistryLock::Mode::shared);
  if (!lock.ok()) return lock.error();
  auto keys = files_.find("runs", "run.json");
  if (!keys.ok()) return keys.error();
  std::vector<Run> out;
  for (const auto& key : *keys) {
    auto doc = get_doc(key);
    if (!doc.ok()) return doc.error();
    auto r = run_from_json(*doc, where(key));
    if (!r.ok()) return r.error();
    if (!q.experiment_id.empty() && r->experiment_id != q.experiment_id) continue;
    if (q.status && r->status != *q.status) continue;
    const bool tags_match = std::all_of(q.tags.begin(), q.tags.end(), [&](const auto& kv) {
      const auto it = r->tags.find(kv.first);
      return it != r->tags.end() && it->second == kv.second;
    });
    if (tags_match) out.push_back(std::move(*r));
  }
  std::sort(out.begin(), out.end(), [](const Run& a, const Run& b) {
    return a.start_time != b.start_time ? a.start_time > b.start_time : a.run_id < b.run_id;
  });
  if (out.size() > q.limit) out.resize(q.limit);
  return out;
}

Result<int64_t> FileRegistry::register_model(const std::string& name, const std::string& run_id,
                                             const std::string& artifact) {
  ENVMON_TRY(check_name("model", name));
  auto lock = locked(RegistryLock::Mode::exclusive);
  if (!lock.ok()) return lock.error();
  auto run = read_run(run_id);
  if (!run.ok()) return run.error();
  if (!std::binary_search(run->artifacts.begin(), run->artifacts.end(), artifact))
    return Error(Errc::not_found, "run " + run_id + " has no artifact '" + artifact + "'");
  auto existing = model_versions_unlocked(name);
  if (!existing.ok()) return existing.error();
  const int64_t v = existing->empty() ? 1 : existing->back().version + 1;
  ENVMON_TRY(put_doc(version_key(name, v), model_version_to_json({name, v, run_id, artifact,
                                                                   now_ms(), {}})));
  return v;
}

Result<std::vector<ModelVersion>> FileRegistry::model_versions(const std::string& name) {
  ENVMON_TRY(check_name("model", name));
  auto lock = locked(RegistryLock::Mode::shared);
  if (!lock.ok()) return lock.error();
  auto all = model_versions_unlocked(name);
  if (!all.ok()) return all.error();
  auto aliases = read_aliases(name);
  if (!aliases.ok()) return aliases.error();
  for (auto& mv : *all)
    for (const auto& [alias, v] : *aliases)
      if (v == mv.version) mv.aliases.push_back(alias);
  return all;
}

Result<ModelVersion> FileRegistry::read_version(const std::string& name, int64_t version) {
  ENVMON_TRY(check_name("model", name));
  auto doc = get_doc(version_key(name, version));
  if (!doc.ok() && doc.error().code() == Errc::not_found)
    return Error(Errc::not_found, "model '" + name + "' has no version " + std::to_string(version));
  if (!doc.ok()) return doc.error();
  return model_version_from_json(*doc, where(version_key(name, version)));
}

Result<ModelVersion> FileRegistry::read_version_with_aliases(const std::string& name,
                                                             int64_t version) {
  auto mv = read_version(name, version);
  if (!mv.ok()) return mv.error();
  auto aliases = read_aliases(name);
  if (!aliases.ok()) return aliases.error();
  for (const auto& [alias, v] : *aliases)
    if (v == version) mv->aliases.push_back(alias);
  return mv;
}

Result<std::map<std::string, int64_t>> FileRegistry::read_aliases(const std::string& name) {
  ENVMON_TRY(check_name("model", name));
  auto doc = get_doc(aliases_key(name));
  if (!doc.ok() && doc.error().code() == Errc::not_found) return std::map<std::string, int64_t>{};
  if (!doc.ok()) return doc.error();
  return aliases_from_json(*doc, where(aliases_key(name)));
}

Result<std::vector<ModelVersion>> FileRegistry::model_versions_unlocked(const std::string& name) {
  auto keys = files_.find("models/" + name, "");
  if (!keys.ok()) return keys.error();
  std::vector<ModelVersion> out;
  for (const auto& key : *keys) {
    if (key.ends_with("/aliases.json")) continue;
    auto doc = get_doc(key);
    if (!doc.ok()) return doc.error();
    auto mv = model_version_from_json(*doc, where(key));
    if (!mv.ok()) return mv.error();
    out.push_back(std::move(*mv));
  }
  std::sort(out.begin(), out.end(),
            [](const ModelVersion& a, const ModelVersion& b) { return a.version < b.version; });
  return out;
}

}  // namespace

std::unique_ptr<Registry> make_file_registry(const FileRegistryConfig& config) {
  return std::make_unique<FileRegistry>(config);
}

}  // namespace envmon::registry::file
