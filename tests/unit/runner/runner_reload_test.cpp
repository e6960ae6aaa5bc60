// Live reloads of a running host (--watch): revocation lists (checked at load, read again, a
// running actor that becomes revoked is removed) and the policy file.
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
  CHECK(runner.reload_changed().empty());  // nothing changed yet

  scratch.write("revoked.txt", "# leaked\n" + actor.key + "\n");
  touch_later(list);
  const auto lines = runner.reload_changed();
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].text == "reloaded revocations " + list + " (1 entries)");
  CHECK_FALSE(lines[0].refused);
  CHECK(lines[1].text == "removed revoked actor " + actor.key);
  CHECK_FALSE(runner.host().claims_of(actor.key).has_value());
  CHECK(runner.actors().empty());

  scratch.write("revoked.txt", "two ids on one line\n");
  touch_later(list);
  const auto refused = runner.reload_changed();
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].refused);
  CHECK(refused[0].text.rfind("reload of revocations refused, the old list stays: ", 0) == 0);

  runner::Runner again(test::interp_options(), provider_catalog::Sinks{});
  scratch.write("revoked.txt", actor.key + "\n");
  REQUIRE(again.use_revocations(list, {}).ok());
  auto started = again.start(runner::plan_for_actor(module, {}));
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().message == module + ": actor refused: subject " + actor.key + " is revoked");
}

TEST_CASE("runner --watch: a changed policy file is loaded again; one that fails to load leaves the old policy") {
  test::ScratchDirectory scratch("runner-policy-watch");
  const std::string policies = WASCC_TEST_POLICIES_DIR;
  const auto live = scratch.path() + "/policy.wasm";
  std::filesystem::copy_file(policies + "/policy_v3.wasm", live);
  policy_gate::Setup setup;
  setup.path = live;
  auto policy = policy_authorizer::PolicyAuthorizer::open(setup);
  REQUIRE(policy.ok());
  auto options = test::interp_options();
  options.authorizer = *policy;
  runner::Runner runner(options, provider_catalog::Sinks{});
  runner.watch_policy(*policy);
  CHECK(runner.reload_changed().empty());

  std::filesystem::copy_file(policies + "/policy_needs_http.wasm", live,
                             std::filesystem::copy_options::overwrite_existing);
  touch_later(live);
  const auto refused = runner.reload_changed();
  REQUIRE(refused.size() == 1);
  CHECK(refused[0].refused);
  CHECK(refused[0].text == "reload of policy refused, the old one stays: " + live +
                               ": the policy needs builtins this host does not implement: http.send");
  CHECK(runner.reload_changed().empty());  // one note per change

  std::filesystem::copy_file(policies + "/policy_v1.wasm", live, std::filesystem::copy_options::overwrite_existing);
  touch_later(live);
  const auto reloaded = runner.reload_changed();
  REQUIRE(reloaded.size() == 1);
  CHECK_FALSE(reloaded[0].refused);
  CHECK(reloaded[0].text == "reloaded policy " + live);
}
