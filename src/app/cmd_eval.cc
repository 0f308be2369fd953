// `envmon eval KIND ...`: offline evaluations, one branch per kind.
#include <iostream>

#include "app/commands.h"

namespace envmon::app {

int cmd_eval(const std::vector<std::string>& args) {
  const std::string kind = args.empty() ? "" : args[0];
  const std::vector<std::string> rest(args.begin() + (args.empty() ? 0 : 1), args.end());
  if (kind == "anomaly") return cmd_eval_anomaly(rest);
  if (kind == "forecast") return cmd_eval_forecast(rest);
  std::cerr << "usage: envmon eval anomaly --nab DIR [--detector NAME]\n"
               "       envmon eval forecast --dataset FILE --target pm25|temperature [--horizon 24]\n";
  return 2;
}

}  // namespace envmon::app
