// wascc lattice hosts|actors|providers|links --lattice URL: what the lattice holds now, from
// every runner's answer to a ping (links: from the lattice's JetStream bucket when it has one).
#include <iostream>
#include <map>
#include <memory>
#include <set>

#include "wascc/base/json.h"
#include "wascc/base/unix_time.h"
#include "wascc/engine/limits.h"
#include "wascc/runner/lattice_links.h"
#include "wascc/runner/lattice_registry.h"
#include "wascc_cli/lattice_flags.h"
#include "wascc_cli/subcommands.h"

namespace wascc::tools::wascc_cli {
namespace {

struct LatticeViewOptions {
  LatticeFlags lattice;
  std::string wait = "500ms";
  bool json = false;
  std::string what;  // hosts, actors, providers, links
};

std::string actor_name(const lattice_registry::ActorEntry& actor) {
  auto claims = lattice_registry::verify_actor_token(actor.key, actor.claims_token, {}, unix_time::now());
  return claims ? claims->name.value_or("") : "(claims do not verify: " + claims.error().message + ")";
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// Who serves what: entity -> the hosts that have it.
std::map<std::string, std::set<std::string>> entities(const std::vector<lattice_registry::HostRecord>& hosts,
                                                      bool actors, std::map<std::string, std::string>& names) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& host : hosts) {
    if (actors) {
      for (const auto& actor : host.actors) {
        out[actor.key].insert(host.host_id);
        names[actor.key] = actor_name(actor);
      }
    } else {
      for (const auto& provider : host.providers) out[provider.contract + "@" + provider.binding].insert(host.host_id);
    }
  }
  return out;
}

std::string joined_values(const BindingValues& values) {
  std::string out;
  for (const auto& [key, value] : values) out += (out.empty() ? "" : ",") + key + "=" + value;
  return out;
}

int print_links(const std::vector<lattice_links::PublishedLink>& links, bool as_json) {
  Json out = Json::array();
  for (const auto& published : links) {
    out.push_back(lattice_links::to_json(published));
    if (!as_json) {
      const auto& link = published.link;
      std::cout << link.actor_id << "  " << link.contract_id << "@" << link.link_name << "  on " << published.host_id
                << (link.values.empty() ? "" : "  " + joined_values(link.values)) << '\n';
    }
  }
  if (as_json) std::cout << json::dump(out) << '\n';
  return finish_output(kExitSuccess);
}

int run_lattice_view(const LatticeViewOptions& options) {
  if (!options.lattice.joins()) {
    print_error("wascc", "lattice " + options.what + ": --lattice URL is required");
    return kExitUsage;
  }
  auto wait = limits::parse_timeout(options.wait);
  if (!wait) {
    print_error("wascc", "--wait: " + wait.error().message);
    return kExitUsage;
  }
  const nats_link::Options link{options.lattice.server_list(), "wascc lattice", options.lattice.creds_file, {}};
  const std::string name = options.lattice.name.empty() ? "default" : options.lattice.name;
  if (options.what == "links") {
    auto links = lattice_links::survey(link, name, *wait);
    if (!links) {
      print_error("wascc", links.error().message);
      return kExitUsage;
    }
    return print_links(*links, options.json);
  }
  auto hosts = lattice_registry::survey(link, name, *wait);
  if (!hosts) {
    print_error("wascc", hosts.error().message);
    return kExitUsage;
  }
  if (options.what == "hosts") {
    Json out = Json::array();
    for (const auto& host : *hosts) {
      out.push_back({{"host_id", host.host_id},
                     {"uptime_s", host.uptime_s},
                     {"actors", host.actors.size()},
                     {"providers", host.providers.size()}});
      if (!options.json) {
        std::cout << host.host_id << "  up " << host.uptime_s << "s  " << host.actors.size() << " actors  "
                  << host.providers.size() << " providers\n";
      }
    }
    if (options.json) std::cout << json::dump(out) << '\n';
    return finish_output(kExitSuccess);
  }
  std::map<std::string, std::string> names;
  const auto served = entities(*hosts, options.what == "actors", names);
  Json out = Json::array();
  for (const auto& [entity, on] : served) {
    Json entry{{options.what == "actors" ? "key" : "provider", entity}, {"hosts", on}};
    if (options.what == "actors") entry["name"] = names[entity];
    out.push_back(entry);
    if (!options.json) {
      std::cout << entity << (options.what == "actors" ? "  " + names[entity] : "") << "  on " << joined(on) << '\n';
    }
  }
  if (options.json) std::cout << json::dump(out) << '\n';
  return finish_output(kExitSuccess);
}

}  // namespace

Subcommand setup_lattice(CLI::App* lattice) {
  auto options = std::make_shared<LatticeViewOptions>();
  lattice->require_subcommand(1);
  for (const auto& [name, description] :
       {std::pair{"hosts", "The runners of the lattice: host id, uptime, how many actors and providers"},
        {"actors", "Each actor of the lattice (key, name) and the runners that host it"},
        {"providers", "Each provider (contract@binding) and the runners that serve it"},
        {"links", "Each link definition: actor, contract@link name, the runner that made it, its values"}}) {
    auto* view = lattice->add_subcommand(name, description);
    options->lattice.add_connection_to(*view);
    view->add_option("--wait", options->wait, "How long to gather answers (500ms)");
    view->add_flag("--json", options->json, "One JSON array instead of lines");
    view->callback([options, view_name = std::string(name)] { options->what = view_name; });
  }
  return {lattice, [options] { return run_lattice_view(*options); }};
}

}  // namespace wascc::tools::wascc_cli
