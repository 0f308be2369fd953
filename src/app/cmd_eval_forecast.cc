// `envmon eval forecast --dataset FILE --target pm25|temperature --horizon 24`: rolling-origin
// backtest of every model and baseline on one file; figures as JSON lines.
#include <iostream>

#include "app/cmd_common.h"
#include "app/commands.h"
#include "app/forecast_cli.h"

namespace envmon::app {

int cmd_eval_forecast(const std::vector<std::string>& words) {
  auto args = parse_args(words, kForecastFlags, {});
  if (!args.ok()) return fail(args.error(), 2);
  auto run = parse_forecast_run(*args);
  if (!run.ok()) return fail(run.error(), 2);
  auto result = eval::run_backtest(run->history, model_entries(*run), run->backtest, run->ensemble);
  if (!result.ok()) return fail(result.error().with_context(run->dataset.path), 1);
  const std::string unit(eval::target_unit(run->target));
  print_figure("mase_scale", result->mase_scale, unit);
  for (const auto& s : result->scores) {
    print_figure("mase_" + s.model, s.test.mase, "ratio");
    print_figure("smape_" + s.model, s.test.smape, "%");
    print_figure("coverage_80_" + s.model, s.test.coverage, "fraction");
    print_figure("mae_" + s.model, s.test.mae, unit);
    print_figure("rmse_" + s.model, s.test.rmse, unit);
    print_figure("points_" + s.model, static_cast<double>(s.test.count), "count");
    print_figure("fit_seconds_" + s.model, s.fit_seconds, "s");
    if (run->ensemble && s.model != "ensemble") print_figure("weight_" + s.model, s.weight, "fraction");
    for (const auto& f : s.failures) std::cerr << "warning: " << s.model << ": " << f << "\n";
  }
  return 0;
}

}  // namespace envmon::app
