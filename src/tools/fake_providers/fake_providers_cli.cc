#include "tools/fake_providers/fake_providers_cli.h"

#include <charconv>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>

#include <pthread.h>

#include "tools/fake_providers/fake_providers.h"

namespace envmon::fake_providers {
namespace {

Error bad(const std::string& flag, const std::string& why) {
  return Error(Errc::invalid_argument, flag + ": " + why);
}

template <typename T>
Status parse_number(const std::string& flag, const std::string& text, T& out) {
  const auto res = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || res.ec != std::errc() || res.ptr != text.data() + text.size()) {
    return bad(flag, "'" + text + "' is not a number");
  }
  return ok_status();
}

Status parse_rate(const std::string& flag, const std::string& text, double& out) {
  ENVMON_TRY(parse_number(flag, text, out));
  if (out < 0 || out > 1) return bad(flag, "must be in [0, 1]");
  return ok_status();
}

using Setter = std::function<Status(CliConfig&, const std::string& flag, const std::string& v)>;

template <typename T>
Setter number_into(T Faults::*field) {
  return [field](CliConfig& c, const std::string& f, const std::string& v) {
    return parse_number(f, v, c.faults.*field);
  };
}

Setter rate_into(double Faults::*field) {
  return [field](CliConfig& c, const std::string& f, const std::string& v) {
    return parse_rate(f, v, c.faults.*field);
  };
}

Status set_key(CliConfig& c, const std::string& f, const std::string& v) {
  const size_t eq = v.find('=');
  const std::string provider = v.substr(0, eq);
  if (eq == std::string::npos || provider_from_name(provider) == Provider::unknown) {
    return bad(f, "expected openweathermap=KEY, waqi=KEY or openmeteo=KEY");
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
    return bad(f, "expected verbatim or now");
  return ok_status();
}

const std::map<std::string, Setter>& valued_flags() {
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
                    const std::string& v) { return parse_number(f, v, c.options.port); }},
      {"--threads", [](CliConfig& c, const std::string& f,
                       const std::string& v) { return parse_number(f, v, c.options.threads); }},
      {"--time-step-secs",
       [](CliConfig& c, const std::string& f, const std::string& v) {
         return parse_number(f, v, c.options.time_step_secs);
       }},
      {"--time-mode", set_time_mode},
      {"--key", set_key},
      {"--latency-ms", number_into(&Faults::latency_ms)},
      {"--status-429-every", number_into(&Faults::status_429_every)},
      {"--retry-after-secs", number_into(&Faults::retry_after_secs)},
      {"--burst-5xx", number_into(&Faults::burst_5xx)},
      {"--slow-drip-ms", number_into(&Faults::slow_drip_ms)},
      {"--seed", number_into(&Faults::seed)},
      {"--reset-rate", rate_into(&Faults::reset_rate)},
      {"--malformed-rate", rate_into(&Faults::malformed_rate)},
      {"--truncated-rate", rate_into(&Faults::truncated_rate)},
      {"--html-rate", rate_into(&Faults::html_rate)},
  };
  return flags;
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
    const size_t eq = flag.find('=');
    if (eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag.resize(eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else if (valued_flags().count(flag) != 0) {
      return bad(flag, "needs a value");
    }
    const auto it = valued_flags().find(flag);
    if (it == valued_flags().end()) return bad(flag, "unknown flag");
    ENVMON_TRY(it->second(c, flag, value));
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
