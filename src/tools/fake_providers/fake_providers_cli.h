#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "tools/fake_providers/fake_types.h"

namespace envmon::fake_providers {

struct CliConfig {
  FakeOptions options;
  Faults faults;  // initial faults, every provider
  bool help = false;
};

// Flags (after the subcommand name), "--flag value" or "--flag=value":
//   --samples DIR (or env ENVMON_API_SAMPLES; required)  --host H  --port P  --threads N
//   --time-mode verbatim|now  --time-step-secs S  --key provider=KEY (repeatable)
//   --onecall-subscribed  --latency-ms --status-429-every --retry-after-secs --burst-5xx
//   --reset-rate --malformed-rate --truncated-rate --slow-drip-ms --html-rate --seed
// `env_samples` is the value of ENVMON_API_SAMPLES (null when unset).
Result<CliConfig> parse_cli_args(const std::vector<std::string>& args, const char* env_samples);
std::string cli_usage();

// `envmon fake-providers ...`: starts the fake, prints
// "fake-providers listening on http://127.0.0.1:PORT" and serves until SIGINT or SIGTERM.
// Returns 0 on a clean stop, 1 when the server cannot start, 2 on a usage error.
int run_fake_providers_command(const std::vector<std::string>& args);

}  // namespace envmon::fake_providers
