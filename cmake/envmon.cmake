# Two helpers keep every component's CMakeLists.txt to a few lines:
#   envmon_library(NAME SRCS ... DEPS ...)      -> target envmon_<name>, alias envmon::<name>
#   envmon_test(NAME SRCS ... DEPS ... LABELS ...) -> GoogleTest executable registered with ctest
set(ENVMON_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wcast-align -Woverloaded-virtual -Wnull-dereference -Wimplicit-fallthrough)
# GCC 12 reports false -Wrestrict errors inside std::string at -O2 (GCC bug 105329); the
# warning stays on for other compilers.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  list(APPEND ENVMON_WARNINGS -Wno-restrict)
endif()

function(envmon_apply_flags target)
  target_compile_options(${target} PRIVATE ${ENVMON_WARNINGS})
  if(ENVMON_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(ENVMON_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
                                             -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()

function(envmon_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(envmon_${name} STATIC ${ARG_SRCS})
  add_library(envmon::${name} ALIAS envmon_${name})
  target_include_directories(envmon_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(envmon_${name} PUBLIC ${ARG_DEPS})
  envmon_apply_flags(envmon_${name})
endfunction()

function(envmon_test name)
  if(NOT ENVMON_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/src)
  envmon_apply_flags(${name})
  # Tests find their golden data relative to the source tree and the envmon binary in the build.
  target_compile_definitions(${name} PRIVATE
    ENVMON_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ENVMON_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}" TIMEOUT ${ARG_TIMEOUT}
    DISCOVERY_TIMEOUT 60)
endfunction()
