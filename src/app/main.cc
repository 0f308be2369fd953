// envmon: one binary, subcommands.
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.h"
#include "tools/fake_providers/fake_providers_cli.h"

namespace {

constexpr const char* kUsage =
    "envmon: environmental monitoring (weather and air quality)\n"
    "\n"
    "usage: envmon COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  demo [--config FILE] [--duration SECS] [--speed N] [--port P] [--data-dir DIR] [--log-level "
    "L]\n"
    "        the whole pipeline in one process on embedded defaults: simulator -> bus -> "
    "processor\n"
    "        -> SQLite + raw lake -> API and dashboard (http://127.0.0.1:8080)\n"
    "  run --config FILE [same options] [--roles sources,processor,sinks,api]\n"
    "        the pipeline from a config file, real time by default; on a Kafka bus --roles\n"
    "        splits it over processes\n"
    "  process --config FILE [--data-dir DIR] [--duration SECS]\n"
    "        processor + sinks only: run several (on a Kafka bus) and they share the partitions\n"
    "  replay --from-time T [--to-time T] [--from topic|lake] [--output-dir DIR] [--config FILE]\n"
    "        reprocess raw history from the raw topic or the raw lake; to DIR as JSON lines, or\n"
    "        to the curated topics and the store (idempotent)\n"
    "  backfill --source openmeteo --from DATE --to DATE [--config FILE] [--data-dir DIR]\n"
    "        history from Open-Meteo's archive API, in chunks, through the pipeline; resumable,\n"
    "        and running it twice changes nothing\n"
    "  eval anomaly --nab DIR [--detector NAME]\n"
    "        NAB scores (standard, reward low FP, reward low FN) of an anomaly detector on a\n"
    "        NAB-layout folder\n"
    "  eval forecast --dataset FILE --target pm25|temperature [--horizon 24] [--models LIST]\n"
    "        rolling-origin backtest of every forecaster and baseline on a CSV (MASE, sMAPE,\n"
    "        80% interval coverage as JSON lines)\n"
    "  train forecast (--dataset FILE | --store-db DB --station ID) --target T --model NAME\n"
    "                 (--registry DIR | --output FILE)\n"
    "        fit a forecaster (additive, lstm, holt_winters, seasonal_naive, ensemble) and\n"
    "        register it with its backtest figures\n"
    "  train anomaly (--dataset FILE | --store-db DB --station ID) [--registry DIR]\n"
    "        isolation forest on hourly feature vectors, registered for the analytics stage\n"
    "  fake-providers --samples DIR [--port P] [faults...]\n"
    "        a local fake of OpenWeatherMap, WAQI and Open-Meteo replaying recorded responses\n"
    "        with injectable faults (--help lists them)\n"
    "  config check FILE                  validate a config file (file, line, key, valid choices)\n"
    "  config schema [--json]             every config key with type, default, unit and bounds\n"
    "  list                               the component types compiled into this binary\n"
    "  version                            print the version\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (cmd == "demo") return envmon::app::cmd_demo(rest, envmon::app::RunMode::demo);
  if (cmd == "run") return envmon::app::cmd_demo(rest, envmon::app::RunMode::run);
  if (cmd == "process") return envmon::app::cmd_demo(rest, envmon::app::RunMode::process);
  if (cmd == "replay") return envmon::app::cmd_replay(rest);
  if (cmd == "config") return envmon::app::cmd_config(rest);
  if (cmd == "backfill") return envmon::app::cmd_backfill(rest);
  if (cmd == "eval") return envmon::app::cmd_eval(rest);
  if (cmd == "train") return envmon::app::cmd_train(rest);
  if (cmd == "fake-providers") return envmon::fake_providers::run_fake_providers_command(rest);
  if (cmd == "list") return envmon::app::cmd_list(rest);
  if (cmd == "version" || cmd == "--version") {
    std::cout << "envmon " << ENVMON_VERSION << "\n";
    return 0;
  }
  std::cerr << "envmon: unknown command '" << cmd << "'\n\n" << kUsage;
  return 2;
}
