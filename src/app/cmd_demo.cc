// `envmon demo` (embedded defaults, simulated clock), `envmon run --config FILE` and
// `envmon process` (the processor and sinks only: one member of a scaled-out consumer group).
#include <cstring>
#include <iostream>

#include <signal.h>

#include "app/cli.h"
#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/components.h"
#include "app/runtime.h"

namespace envmon::app {
namespace {

// Waits for SIGINT/SIGTERM, or for `duration` seconds when positive, or until a component of
// `runtime` fails for good (returns -1). Signals are blocked in every thread (masked before any
// thread starts) and taken here synchronously.
int wait_for_signal(double duration_secs, const Runtime& runtime) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(static_cast<int64_t>(duration_secs * 1000));
  for (;;) {
    timespec ts{0, 200'000'000};
    const int sig = sigtimedwait(&set, nullptr, &ts);
    if (sig == SIGINT || sig == SIGTERM) return sig;
    if (runtime.failure()) return -1;
    if (duration_secs > 0 && std::chrono::steady_clock::now() >= deadline) return 0;
  }
}

Result<Roles> roles_for(const Args& args, RunMode mode, const config::AppConfig& app) {
  auto roles = mode == RunMode::process ? Roles::of({Role::processor, Role::sinks}) : Roles::all();
  if (auto text = args.get("roles")) {
    auto parsed = Roles::parse(*text);
    if (!parsed.ok()) return parsed.error().with_context("--roles");
    roles = *parsed;
  }
  // With the in-process bus, a role left out has no other process to run it.
  if (app.bus.type == "memory" && roles.to_string() != Roles::all().to_string()) {
    return Error(Errc::invalid_argument,
                 "roles " + roles.to_string() +
                     " need a bus shared between processes (bus: {type: kafka}); the memory bus "
                     "lives inside one process, so use `envmon run` with every role");
  }
  return roles;
}

}  // namespace

int cmd_demo(const std::vector<std::string>& words, RunMode mode) {
  const bool live = mode != RunMode::demo;
  auto args = parse_args(
      words, {"config", "duration", "speed", "port", "data-dir", "log-level", "roles"}, {});
  if (!args.ok()) return fail(args.error(), 2);
  if (!args->positional.empty()) {
    return fail(Error(Errc::invalid_argument, "unexpected argument '" + args->positional[0] + "'"),
                2);
  }
  if (live && !args->has("config")) {
    return fail(
        Error(Errc::invalid_argument,
              std::string(mode == RunMode::run ? "run" : "process") + " needs --config FILE"),
        2);
  }
  auto duration = args->number("duration", 0, 0, 365.0 * 86400);
  auto speed = args->number("speed", live ? 1 : 60, 0.001, 1e6);
  auto port = args->number("port", -1, 0, 65535);
  for (const auto* r : {&duration, &speed, &port}) {
    if (!r->ok()) return fail(r->error(), 2);
  }
  auto app = load_app_config(*args, true);
  if (!app.ok()) return fail(app.error(), 2);
  if (Status s = apply_log_level(args->get("log-level").value_or(app->log_level)); !s.ok())
    return fail(s.error(), 2);

  auto roles = roles_for(*args, mode, *app);
  if (!roles.ok()) return fail(roles.error(), 2);

  RuntimeOptions options;
  options.roles = *roles;
  options.data_dir = args->get("data-dir").value_or("");
  if (*port >= 0) options.port = static_cast<int64_t>(*port);
  options.speed = *speed;
  // Live API sources need the real time; `run --speed N` keeps a simulated clock for simulators.
  options.clock = live && !args->has("speed") ? ClockMode::wall : ClockMode::simulated;

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);

  Runtime runtime(std::move(*app), options);
  if (Status s = runtime.start(); !s.ok()) {
    runtime.stop();
    return fail(s.error(), 1);
  }
  for (const auto& d : runtime.disabled_sources()) {
    std::cerr << "envmon: source '" << d.name << "' is disabled: " << d.reason << "\n";
  }
  if (options.roles.has(Role::api)) {
    std::cerr << "envmon: dashboard and API on http://" << runtime.api_host() << ":"
              << runtime.api_port() << "/  (Ctrl-C stops cleanly)\n";
  } else {
    std::cerr << "envmon: running " << options.roles.to_string() << " (Ctrl-C stops cleanly)\n";
  }
  const int sig = wait_for_signal(*duration, runtime);
  if (sig < 0) {
    // Exit non-zero so that a supervisor (systemd, Kubernetes) restarts the member with a fresh
    // consumer; what it had fetched and not committed is read again.
    const Error why = *runtime.failure();
    runtime.stop();
    return fail(why.with_context("a component stopped for good"), 1);
  }
  log_line(LogLevel::info, "app:runtime:main", sig ? "Signal received" : "Duration reached",
           {{"signal", sig ? strsignal(sig) : "none"}});
  runtime.stop();
  return 0;
}

}  // namespace envmon::app
