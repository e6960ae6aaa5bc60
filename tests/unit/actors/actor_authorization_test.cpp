#include <doctest/doctest.h>

#include "wascc/actors/actor_authorization.h"

using namespace wascc;
using actor_authorization::Target;

namespace {

const std::string kCaller = "MCRWPH2GWUEV5FRKWYE565FNCTGAGZ7OR3Q7F4F7ELL5ZVKKR2GEXRS3";
const std::string kOther = "MDASMGHPZPJIKWGFYPZWA7LYWHKOZR5N726LUSBKX54LXX457V2TDVU4";

claims::ModuleClaims caller_with(std::vector<std::string> caps) {
  claims::ModuleClaims claims;
  claims.subject = kCaller;
  claims.capabilities = std::move(caps);
  return claims;
}

}  // namespace

TEST_CASE("targets: empty binding is default; a 56-character M key is an actor") {
  auto capability = actor_authorization::resolve_target("", "wascc:keyvalue");
  CHECK(capability.kind == Target::Kind::Capability);
  CHECK(capability.binding == "default");
  auto named = actor_authorization::resolve_target("source1", "wascc:messaging");
  CHECK(named.binding == "source1");
  auto actor = actor_authorization::resolve_target("", kOther);
  CHECK(actor.kind == Target::Kind::Actor);
  CHECK(actor_authorization::resolve_target("", "M" + std::string(54, 'A')).kind == Target::Kind::Capability);
}

TEST_CASE("host calls: allowed by a claimed capability, the callee's key, or the caller's own key") {
  auto claims = caller_with({"wascc:keyvalue", kOther});
  CHECK(actor_authorization::check_host_call(claims, actor_authorization::resolve_target("", "wascc:keyvalue"), "Get")
            .allowed);
  CHECK(actor_authorization::check_host_call(claims, actor_authorization::resolve_target("", kOther), "Ping").allowed);
  CHECK(actor_authorization::check_host_call(claims, actor_authorization::resolve_target("", kCaller), "Self").allowed);
  auto denied = actor_authorization::check_host_call(claims, actor_authorization::resolve_target("", "wascc:messaging"),
                                                     "Publish");
  CHECK_FALSE(denied.allowed);
  CHECK(denied.denial == "WebAssembly module authorization failure: Actor " + kCaller +
                             " attempted to call Publish on wascc:messaging,default - PERMISSION DENIED.");
  auto no_caps = caller_with({});
  no_caps.capabilities.reset();
  CHECK_FALSE(actor_authorization::check_host_call(no_caps, actor_authorization::resolve_target("", "wascc:logging"),
                                                   "WriteLog")
                  .allowed);
}

TEST_CASE("bindings need the capability in the claims") {
  auto claims = caller_with({"wascc:http_server"});
  CHECK(actor_authorization::check_binding(claims, "wascc:http_server").allowed);
  auto denied = actor_authorization::check_binding(claims, "wascc:keyvalue");
  CHECK_FALSE(denied.allowed);
  CHECK(denied.denial ==
        "Unauthorized binding: actor " + kCaller + " is not authorized to use capability wascc:keyvalue.");
}
