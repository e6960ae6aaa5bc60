// Revocation lists on a running host: checked at load, read again by --watch, and a running
// actor that becomes revoked is removed.
#include <doctest/doctest.h>

#include <filesystem>

#include "actor_fixtures.h"
#include "file_fixtures.h"
#include "wascc/runner/runner.h"

using namespace wascc;
using namespace std::chrono_literals;

namespace {

void touch_later(const std::string& path) {
  // Later than anything written within this second, so that --watch sees a change.
  std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + 2s);
}

}  // namespace

TEST_CASE("runner revocations: a listed actor is refused at load; --watch removes one revoked later") {
  test::ScratchDirectory scratch("runner-revocations");
  auto actor = test::sign_forwarder({});
  const std::string module = scratch.write("actor.wasm", std::string(actor.wasm.begin(), actor.wasm.end()));
  const std::string list = scratch.write("revoked.txt", "# nothing yet\n");

  runner::Runner runner(test::interp_options(), provider_catalog::Sinks{});
  REQUIRE(runner.use_revocations(list, {}).ok());
  REQUIRE(runner.start(runner::plan_for_actor(module, {})).ok());
  CHECK(runner.reload_changed_actors().empty());  // nothing changed yet

  scratch.write("revoked.txt", "# leaked\n" + actor.key + "\n");
  touch_later(list);
  const auto lines = runner.reload_changed_actors();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] == "reloaded revocations " + list + " (1 entries)");
  CHECK(lines[1] == "removed revoked actor " + actor.key);
  CHECK_FALSE(runner.host().claims_of(actor.key).has_value());
  CHECK(runner.actors().empty());

  scratch.write("revoked.txt", "two ids on one line\n");
  touch_later(list);
  const auto refused = runner.reload_changed_actors();
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].rfind("reload of revocations refused, the old list stays: ", 0) == 0);

  runner::Runner again(test::interp_options(), provider_catalog::Sinks{});
  scratch.write("revoked.txt", actor.key + "\n");
  REQUIRE(again.use_revocations(list, {}).ok());
  auto started = again.start(runner::plan_for_actor(module, {}));
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().message == module + ": actor refused: subject " + actor.key + " is revoked");
}
