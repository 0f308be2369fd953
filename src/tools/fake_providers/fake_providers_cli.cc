#include "tools/fake_providers/fake_providers_cli.h"

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>

#include <pthread.h>

#include "tools/fake_providers/fake_providers.h"
#include "tools/fake_providers/fault_fields.h"

namespace envmon::fake_providers {
namespace {

Error bad(const std::string& flag, const std::string& why) {
  return Error(Errc::invalid_argument, flag + ": " + why);
}

// An integer flag within [min, max].
template <typename T>
Status parse_number(const std::string& flag, const std::string& text, T& out, T min, T max) {
  T v{};
  const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size() || v < min ||
      v > max) {
    return bad(flag, "expected an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
                         "], got '" + text + "'");
  }
  out = v;
  return ok_status();
}

using Setter = std::function<Status(CliConfig&, const std::string& flag, const std::string& v)>;

Status set_key(CliConfig& c, const std::string& f, const std::string& v) {
  const size_t eq = v.find('=');
  const std::string provider = v.substr(0, eq);
  if (eq == std::string::npos || provider_from_name(provider) == Provider::unknown) {
    return bad(f, "expected openweathermap=KEY, waqi=KEY or openmeteo=KEY, got '" + v + "'");
  }
  c.options.keys[provider] = v.substr(eq + 1);
  return ok_status();
}

Status set_time_mode(CliConfig& c, const std::string& f, const std::string& v) {
  if (v == "verbatim")
    c.options.time_mode = TimeMode::verbatim;
  else if (v == "now")
    c.options.time_mode = TimeMode::now;
  else
    return bad(f, "expected verbatim or now, got '" + v + "'");
  return ok_status();
}

// Server flags; the fault flags come from the shared Faults table (fault_fields.h).
const std::map<std::string, Setter>& server_flags() {
  static const std::map<std::string, Setter> flags = {
      {"--samples",
       [](CliConfig& c, const std::string&, const std::string& v) {
         c.options.samples_dir = v;
         return ok_status();
       }},
      {"--host",
       [](CliConfig& c, const std::string&, const std::string& v) {
         c.options.host = v;
         return ok_status();
       }},
      {"--port", [](CliConfig& c, const std::string& f,
                    const std::string& v) { return parse_number(f, v, c.options.port, 0, 65535); }},
      {"--threads",
       [](CliConfig& c, const std::string& f, const std::string& v) {
         return parse_number(f, v, c.options.threads, 1, 4096);
       }},
      {"--time-step-secs",
       [](CliConfig& c, const std::string& f, const std::string& v) {
         return parse_number<int64_t>(f, v, c.options.time_step_secs, 1, 86400 * 366);
       }},
      {"--time-mode", set_time_mode},
      {"--key", set_key},
  };
  return flags;
}

// "--latency-ms" -> the latency_ms row of the Faults table; null for any other flag.
const FaultField* fault_flag(const std::string& flag) {
  if (!flag.starts_with("--")) return nullptr;
  std::string key = flag.substr(2);
  std::replace(key.begin(), key.end(), '-', '_');
  return find_fault_field(key);
}

Status apply_flag(CliConfig& c, const std::string& flag, const std::string& value) {
  if (const auto it = server_flags().find(flag); it != server_flags().end()) {
    return it->second(c, flag, value);
  }
  if (const FaultField* field = fault_flag(flag)) {
    return set_fault_field(c.faults, *field, value, flag);
  }
  return bad(flag, "unknown flag");
}

bool is_valued_flag(const std::string& flag) {
  return server_flags().count(flag) != 0 || fault_flag(flag) != nullptr;
}

// Blocks SIGINT/SIGTERM in the calling thread (and so in the server threads it starts) and
// restores the previous mask when done, so sigwait() can pick them up in one place.
class SignalBlock {
 public:
  SignalBlock() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SignalBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  SignalBlock(const SignalBlock&) = delete;
  SignalBlock& operator=(const SignalBlock&) = delete;
  int wait() const {
    int sig = 0;
    sigwait(&set_, &sig);
    return sig;
  }

 private:
  sigset_t set_{};
  sigset_t old_{};
};

}  // namespace

std::string cli_usage() {
  return "usage: envmon fake-providers --samples DIR [--port P] [--host H] [--threads N]\n"
         "  [--time-mode verbatim|now] [--time-step-secs S] [--key provider=KEY]...\n"
         "  [--onecall-subscribed] [--latency-ms MS] [--status-429-every N]\n"
         "  [--retry-after-secs S] [--burst-5xx N] [--reset-rate R] [--malformed-rate R]\n"
         "  [--truncated-rate R] [--slow-drip-ms MS] [--html-rate R] [--seed N]\n"
         "DIR holds openweathermap/, aqicn/, open-meteo/ (default: $ENVMON_API_SAMPLES).\n";
}

Result<CliConfig> parse_cli_args(const std::vector<std::string>& args, const char* env_samples) {
  CliConfig c;
  if (env_samples != nullptr) c.options.samples_dir = env_samples;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    if (flag == "--help" || flag == "-h") {
      c.help = true;
      return c;
    }
    if (flag == "--onecall-subscribed") {
      c.options.onecall_subscribed = true;
      continue;
    }
    std::string value;
    if (const size_t eq = flag.find('='); eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
      if (flag == "--onecall-subscribed") return bad(flag, "takes no value");
    } else if (!is_valued_flag(flag)) {
      return bad(flag, "unknown flag");
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return bad(flag, "needs a value");
    }
    ENVMON_TRY(apply_flag(c, flag, value));
  }
  if (c.options.samples_dir.empty()) {
    return bad("--samples", "required (or set ENVMON_API_SAMPLES)");
  }
  return c;
}

int run_fake_providers_command(const std::vector<std::string>& args) {
  const auto config = parse_cli_args(args, std::getenv("ENVMON_API_SAMPLES"));
  if (!config) {
    std::cerr << "fake-providers: " << config.error().message() << "\n" << cli_usage();
    return 2;
  }
  if (config->help) {
    std::cout << cli_usage();
    return 0;
  }
  const SignalBlock signals;
  FakeProviders fake(config->options, config->faults);
  if (const Status st = fake.start(); !st) {
    std::cerr << st.error().message() << "\n";
    return 1;
  }
  std::cout << "fake-providers listening on http://" << config->options.host << ":" << fake.port()
            << std::endl;
  const int sig = signals.wait();
  std::cerr << "fake-providers: stopping on signal " << sig << "\n";
  fake.stop();
  return 0;
}

}  // namespace envmon::fake_providers
