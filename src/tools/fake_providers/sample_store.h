#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"
#include "tools/fake_providers/body_template.h"

namespace envmon::fake_providers {

// Every *.json under <dir>/{openweathermap,aqicn,open-meteo}/, each parsed once into a
// BodyTemplate, keyed "<subdir>/<file>". Read-only after load, so worker threads share it.
class SampleStore {
 public:
  // Errors when none of the three folders exists; a sample that cannot be walked as JSON is
  // kept without spans (served verbatim in every mode).
  static Result<SampleStore> load(const std::string& dir);

  const BodyTemplate* find(std::string_view key) const;
  size_t size() const { return samples_.size(); }

 private:
  std::map<std::string, BodyTemplate, std::less<>> samples_;
};

}  // namespace envmon::fake_providers
