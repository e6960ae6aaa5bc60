#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include "aot_cache_environment.h"

int main(int argc, char** argv) {
  wascc::test::use_xdg_cache_home();  // the suite's AOT cache is the one ctest names
  return doctest::Context(argc, argv).run();
}
