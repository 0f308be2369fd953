# Every third-party library comes from Debian's packages (scripts/install-deps).
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(absl REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(simdjson REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(prometheus-cpp REQUIRED)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
if(ENVMON_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()

# simdjson's On-Demand API picks its SIMD kernel at compile time: without at least SSE4.2 and
# PCLMUL it falls back to scalar code (several times slower). x86-64-v2 is every x86-64 CPU
# since 2009; override with -DENVMON_MARCH= for another target.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  set(ENVMON_MARCH "x86-64-v2" CACHE STRING "Target -march for envmon")
else()
  set(ENVMON_MARCH "" CACHE STRING "Target -march for envmon")
endif()
if(ENVMON_MARCH)
  add_compile_options(-march=${ENVMON_MARCH})
endif()

# Forecasting: Eigen + LBFGS++ (header-only, liblbfgspp-dev) for the additive model's MAP fit,
# Debian's libtorch for the LSTM, nlohmann_json for model files.
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(nlohmann_json 3 REQUIRED)
find_package(Torch REQUIRED PATHS /usr/lib/x86_64-linux-gnu/cmake/Torch /usr/share/cmake/Torch)
