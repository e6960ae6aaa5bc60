#include <doctest/doctest.h>

#include "check_error.h"

#include "wascc/runner/manifest.h"
#include "wascc/providers/provider_catalog.h"
#include "wascc/runner/runner.h"

using namespace wascc;

namespace {

manifest::Environment fake_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    if (name == "PORT") return "9090";
    if (name == "EMPTY") return "";
    return std::nullopt;
  };
}

constexpr const char* kYaml = R"(labels:
  team: edge
actors:
  - ./kvcounter_s.wasm
capabilities:
  - path: libwascc_httpsrv.so
  - path: libredis_provider.so
    binding_name: cache
bindings:
  - actor: ./kvcounter_s.wasm
    capability: wascc:keyvalue
    binding: cache
    values:
      URL: redis://127.0.0.1:6379
  - actor: MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5
    capability: wascc:http_server
    values:
      PORT: 8081
)";

constexpr const char* kJson = R"({"labels": {"team": "edge"}, "actors": ["./kvcounter_s.wasm"],
 "capabilities": [{"path": "libwascc_httpsrv.so"}, {"path": "libredis_provider.so", "binding_name": "cache"}],
 "bindings": [
  {"actor": "./kvcounter_s.wasm", "capability": "wascc:keyvalue", "binding": "cache",
   "values": {"URL": "redis://127.0.0.1:6379"}},
  {"actor": "MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5", "capability": "wascc:http_server",
   "values": {"PORT": 8081}}]})";

}  // namespace

TEST_CASE("manifest: ${VAR} and ${VAR:default} expand; $VAR and undefined ${VAR} stay as written") {
  const auto environment = fake_environment();
  CHECK(manifest::expand_variables("port ${PORT}", environment) == "port 9090");
  CHECK(manifest::expand_variables("${PORT:1}/${MISSING:8080}", environment) == "9090/8080");
  CHECK(manifest::expand_variables("${EMPTY:x}|${MISSING:}", environment) == "|");
  CHECK(manifest::expand_variables("$PORT ${MISSING} ${UNCLOSED", environment) == "$PORT ${MISSING} ${UNCLOSED");
  CHECK(manifest::expand_variables("${MISSING:redis://h:1/0}", environment) == "redis://h:1/0");
}

TEST_CASE("manifest: the format follows the file name as wascc-host decided it") {
  CHECK(manifest::format_for("m.yaml") == manifest::Format::Yaml);
  CHECK(manifest::format_for("dir.d/m.yml") == manifest::Format::Yaml);
  CHECK(manifest::format_for("dir.d/manifest") == manifest::Format::Yaml);
  CHECK(manifest::format_for("m.json") == manifest::Format::Json);
  CHECK(manifest::format_for("m.txt") == manifest::Format::Json);
}

TEST_CASE("manifest: YAML and JSON forms read the same") {
  for (auto form : {std::pair{kYaml, manifest::Format::Yaml}, std::pair{kJson, manifest::Format::Json}}) {
    auto [text, format] = form;
    CAPTURE(form.first);  // clang 14 cannot capture a structured binding
    auto parsed = manifest::parse(text, format, "m");
    REQUIRE(parsed.ok());
    CHECK(parsed->labels.at("team") == "edge");
    CHECK(parsed->actors == std::vector<std::string>{"./kvcounter_s.wasm"});
    REQUIRE(parsed->capabilities.size() == 2);
    CHECK(parsed->capabilities[0].binding == "default");
    CHECK(parsed->capabilities[1].binding == "cache");
    REQUIRE(parsed->bindings.size() == 2);
    CHECK(parsed->bindings[0].binding == "cache");
    CHECK(parsed->bindings[0].values.at("URL") == "redis://127.0.0.1:6379");
    CHECK(parsed->bindings[1].binding == "default");
    CHECK(parsed->bindings[1].values.at("PORT") == "8081");  // an unquoted number is its text
  }
}

TEST_CASE("manifest: errors name the file, the place and the entry") {
  auto missing = manifest::parse("actors: []\ncapabilities: []\n", manifest::Format::Yaml, "m.yaml");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "m.yaml:1:1: missing key bindings");
  auto wrong = manifest::parse("actors: []\ncapabilities: []\nbindings:\n  - actor: M\n    capability: [x]\n",
                               manifest::Format::Yaml, "m.yaml");
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message == "m.yaml:5:17: bindings[0].capability: expected a string");
  auto no_actor = manifest::parse(R"({"actors": [], "capabilities": [], "bindings": [{"capability": "x"}]})",
                                  manifest::Format::Json, "m.json");
  REQUIRE_FALSE(no_actor.ok());
  CHECK(no_actor.error().message == "m.json: bindings[0]: missing key actor");
  auto broken = manifest::parse("actors: [a\n", manifest::Format::Yaml, "m.yaml");
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().message.rfind("m.yaml:", 0) == 0);
  CHECK(manifest::parse("- a\n- b\n", manifest::Format::Yaml, "m.yaml").error().message ==
        "m.yaml:1:1: a manifest is a map with actors, capabilities and bindings");
}

TEST_CASE("manifest: a misspelt key is an error naming it and what is known there") {
  auto typo =
      manifest::parse("actors: []\ncapabilities: []\nbindings:\n  - actor: M\n    capability: x\n    valeus: {}\n",
                      manifest::Format::Yaml, "m.yaml");
  REQUIRE_FALSE(typo.ok());
  CHECK(typo.error().message ==
        "m.yaml:6:5: bindings[0]: unknown key \"valeus\" (expected actor, capability, binding, values)");
  auto top = manifest::parse(R"({"actors": [], "capabilities": [], "bindings": [], "binding": []})",
                             manifest::Format::Json, "m.json");
  REQUIRE_FALSE(top.ok());
  CHECK(top.error().message ==
        "m.json: unknown key \"binding\" (expected labels, policy, revocations, lattice, actors, capabilities, "
        "bindings)");
  auto capability = manifest::parse("actors: []\ncapabilities:\n  - path: p\n    binding: b\nbindings: []\n",
                                    manifest::Format::Yaml, "m.yaml");
  CHECK(capability.error().message ==
        "m.yaml:4:5: capabilities[0]: unknown key \"binding\" (expected path, binding_name)");
}

TEST_CASE("manifest: an actor may be {path, max_instances}; the plan carries the limit per actor file") {
  auto parsed =
      manifest::parse("actors:\n  - a.wasm\n  - path: b.wasm\n    max_instances: 3\ncapabilities: []\nbindings: []\n",
                      manifest::Format::Yaml, "m.yaml");
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
  CHECK(parsed->actors == std::vector<std::string>{"a.wasm", "b.wasm"});
  REQUIRE(parsed->actor_settings.size() == 1);
  CHECK(parsed->actor_settings.at("b.wasm").max_instances == 3);
  CHECK_FALSE(parsed->actor_settings.at("b.wasm").timeout.has_value());
  auto plan = runner::plan_for_manifest(*parsed, "m.yaml");
  REQUIRE(plan.ok());
  REQUIRE(plan->actor_settings.size() == 2);
  CHECK(plan->actor_settings[0].max_instances == 0);
  CHECK(plan->actor_settings[1].max_instances == 3);
  auto limited = manifest::parse(
      "actors:\n  - path: c.wasm\n    timeout: 1500ms\n    fuel: 1000\n    max_memory_pages: 16\n"
      "capabilities: []\nbindings: []\n",
      manifest::Format::Yaml, "m.yaml");
  REQUIRE_MESSAGE(limited.ok(), limited.error().message);
  const auto& settings = limited->actor_settings.at("c.wasm");
  CHECK(settings.timeout == std::chrono::milliseconds(1500));
  CHECK(settings.fuel == 1000u);
  CHECK(settings.max_memory_pages == 16u);
  auto bad_timeout = manifest::parse("actors:\n  - path: c.wasm\n    timeout: soon\ncapabilities: []\nbindings: []\n",
                                     manifest::Format::Yaml, "m.yaml");
  REQUIRE_FALSE(bad_timeout.ok());
  CHECK(bad_timeout.error().message.rfind("m.yaml:3:14: actors[0].timeout: ", 0) == 0);
  for (const char* bad : {"0", "-1", "many", "5000"}) {
    CAPTURE(bad);
    auto refused = manifest::parse(
        std::string("actors:\n  - path: b.wasm\n    max_instances: ") + bad + "\ncapabilities: []\nbindings: []\n",
        manifest::Format::Yaml, "m.yaml");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().message == "m.yaml:3:20: actors[0].max_instances: expected a whole number from 1 to 4096");
  }
  auto no_path = manifest::parse("actors:\n  - max_instances: 2\ncapabilities: []\nbindings: []\n",
                                 manifest::Format::Yaml, "m.yaml");
  CHECK(no_path.error().message == "m.yaml:2:5: actors[0]: missing key path");
}

TEST_CASE("runner plan: provider library names map to the built-in contracts; bindings may name actor paths") {
  auto parsed = manifest::parse(kYaml, manifest::Format::Yaml, "m");
  REQUIRE(parsed.ok());
  auto plan = runner::plan_for_manifest(*parsed, "conf/m.yaml");
  REQUIRE(plan.ok());
  REQUIRE(plan->providers.size() == 2);
  CHECK(plan->providers[0].capability_id == "wascc:http_server");
  CHECK(plan->providers[1].capability_id == "wascc:keyvalue");
  CHECK(plan->providers[1].binding == "cache");
  CHECK(plan->bindings[0].actor == plan->actor_files[0]);
  CHECK(plan->bindings[1].where == "conf/m.yaml: bindings[1]");

  CHECK(provider_catalog::capability_of_path("/opt/libwascc_nats.so").value() == "wascc:messaging");
  CHECK(provider_catalog::capability_of_path("liblogging_provider.dylib").value() == "wascc:logging");
  CHECK(provider_catalog::capability_of_path("wascc:extras").value() == "wascc:extras");
  CHECK_ERROR(provider_catalog::capability_of_path("libwascc_fs.so"),
              "provider \"libwascc_fs.so\" is not built in, and waSCC's native provider plugins (Rust trait objects) "
              "cannot be loaded by another host; built in: wascc:http_server, wascc:http_client, wascc:keyvalue, "
              "wascc:messaging, wascc:logging, wascc:extras");
}

TEST_CASE("runner plan: one actor's --bind specs give one provider per (capability, binding)") {
  auto kv = binding_spec::parse("wascc:keyvalue");
  auto kv_again = binding_spec::parse("wascc:keyvalue?URL=redis://x");
  auto cache = binding_spec::parse("wascc:keyvalue@cache");
  REQUIRE((kv.ok() && kv_again.ok() && cache.ok()));
  auto plan = runner::plan_for_actor("a.wasm", {*kv, *kv_again, *cache});
  CHECK(plan.providers.size() == 2);
  CHECK(plan.bindings.size() == 3);
  CHECK(plan.bindings[2].where == "--bind wascc:keyvalue@cache");
}

TEST_CASE("manifest: a policy, as a path or with data and entrypoint, resolved beside the manifest") {
  auto short_form =
      manifest::parse("policy: p.wasm\nactors: []\ncapabilities: []\nbindings: []\n", manifest::Format::Yaml, "m");
  REQUIRE(short_form.ok());
  CHECK(short_form->policy->path == "p.wasm");
  auto long_form = manifest::parse(
      "policy: {path: b.tar.gz, data: d.json, entrypoint: wascc/allow}\nactors: []\ncapabilities: []\nbindings: []\n",
      manifest::Format::Yaml, "m");
  REQUIRE(long_form.ok());
  auto plan = runner::plan_for_manifest(*long_form, "conf/m.yaml");
  REQUIRE(plan.ok());
  CHECK(plan->policy->path == "conf/b.tar.gz");
  CHECK(plan->policy->data == "conf/d.json");
  CHECK(plan->policy->entrypoint == "wascc/allow");
  CHECK_ERROR(manifest::parse("policy: {data: d.json}\nactors: []\ncapabilities: []\nbindings: []\n",
                              manifest::Format::Yaml, "m"),
              "m:1:9: policy: missing key path");
}

TEST_CASE("manifest: a lattice with its URLs in order, keys, deadline and retries; creds beside the manifest") {
  auto parsed = manifest::parse(
      "lattice:\n  urls: [nats://h1:4222, nats://h2:4222]\n  name: prod\n  cluster_seed: SC1\n"
      "  cluster_issuers: [CA, CB]\n  rpc_timeout: 500ms\n  retries: 0\n  nats_creds: u.creds\n"
      "actors: []\ncapabilities: []\nbindings: []\n",
      manifest::Format::Yaml, "m");
  REQUIRE_MESSAGE(parsed.ok(), parsed.error().message);
  REQUIRE(parsed->lattice.has_value());
  CHECK(parsed->lattice->urls == std::vector<std::string>{"nats://h1:4222", "nats://h2:4222"});
  CHECK(parsed->lattice->name == "prod");
  CHECK(parsed->lattice->cluster_seed == "SC1");
  CHECK(parsed->lattice->host_seed.empty());
  CHECK(parsed->lattice->cluster_issuers == std::vector<std::string>{"CA", "CB"});
  CHECK(parsed->lattice->rpc_timeout == std::chrono::milliseconds(500));
  CHECK(parsed->lattice->retries == 0);
  auto plan = runner::plan_for_manifest(*parsed, "conf/m.yaml");
  REQUIRE(plan.ok());
  CHECK(plan->lattice->nats_creds == "conf/u.creds");
  CHECK_ERROR(manifest::parse("lattice: {retries: -1}\nactors: []\ncapabilities: []\nbindings: []\n",
                              manifest::Format::Yaml, "m"),
              "m:1:20: lattice.retries: expected a whole number from 0 to 100");
  CHECK_ERROR(
      manifest::parse("lattice: {url: x}\nactors: []\ncapabilities: []\nbindings: []\n", manifest::Format::Yaml, "m"),
      "m:1:11: lattice: unknown key \"url\" (expected urls, name, host_seed, cluster_seed, cluster_issuers, "
      "rpc_timeout, retries, nats_creds)");
}
