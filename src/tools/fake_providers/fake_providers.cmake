# The local fake of OpenWeatherMap, WAQI and Open-Meteo (`envmon fake-providers`): replays the
# recorded bodies of ../shared/data/api-samples (given at run time) and injects faults.
# envmon::bus for its stable hash (station ids), envmon::net for coordinate formatting.
envmon_library(fake_providers
  SRCS fake_providers/body_template.cc fake_providers/sample_store.cc fake_providers/routes.cc
       fake_providers/fault_fields.cc fake_providers/fault_injector.cc
       fake_providers/stats_recorder.cc fake_providers/connection_abort.cc
       fake_providers/control_json.cc fake_providers/fake_providers.cc
       fake_providers/fake_providers_cli.cc
  DEPS envmon::core envmon::model envmon::bus envmon::net simdjson::simdjson PkgConfig::HTTPLIB)
envmon_test(fake_providers_test
  SRCS fake_providers/body_template_test.cc fake_providers/stats_recorder_test.cc
       fake_providers/control_json_test.cc fake_providers/fake_providers_test.cc
       fake_providers/fake_providers_cli_test.cc
  DEPS envmon::fake_providers LABELS unit)
