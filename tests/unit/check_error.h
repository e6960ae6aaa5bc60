// CHECK_ERROR(result, "message"): the call failed, and with exactly this message. CONTRIBUTING
// asks every failure check to look at the error: a failure for another reason (a missing
// fixture, an earlier step) must not pass as the one the test is about.
#pragma once

#include <doctest/doctest.h>

#include <string>

#define CHECK_ERROR(expression, expected_message)                            \
  do {                                                                       \
    const auto& checked_result_ = (expression);                              \
    REQUIRE_FALSE(checked_result_.ok());                                     \
    CHECK(checked_result_.error().message == std::string(expected_message)); \
  } while (false)

// For messages that go on with a quoted source line (WABT's diagnostics).
#define CHECK_ERROR_STARTS_WITH(expression, expected_start)               \
  do {                                                                    \
    const auto& checked_result_ = (expression);                           \
    REQUIRE_FALSE(checked_result_.ok());                                  \
    CHECK(checked_result_.error().message.rfind(expected_start, 0) == 0); \
  } while (false)

// Building the tests with WASCC_CAPTURE_ERRORS in the environment (tests/CMakeLists.txt) makes
// each CHECK_ERROR print the message it meets, to write new checks from.
#ifdef WASCC_CAPTURE_ERRORS
#include <cstdio>
#undef CHECK_ERROR
#define CHECK_ERROR(expression, expected_message)                                            \
  do {                                                                                       \
    const auto& checked_result_ = (expression);                                              \
    std::fprintf(stderr, "@@CAPTURE %s@@%s\n", std::string(expected_message).c_str(),        \
                 checked_result_.ok() ? "@@OK@@" : checked_result_.error().message.c_str()); \
  } while (false)
#endif
