#pragma once
// Shared by the fake-providers test binaries only (needs the ENVMON_SOURCE_DIR definition that
// envmon_test() gives test targets).

#include <fstream>
#include <sstream>
#include <string>

namespace envmon::fake_providers::test_support {

inline const std::string kTestdata = ENVMON_SOURCE_DIR "/src/tools/fake_providers/testdata";
inline const std::string kShared = ENVMON_SOURCE_DIR "/../shared/data/api-samples";

inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace envmon::fake_providers::test_support
