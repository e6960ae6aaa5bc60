#include "common/tool_support.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <iostream>

#include "common/environment.h"
#include "wascc/engine/aot_engine.h"
#include "wascc/wascap/nkeys.h"

namespace wascc::tools {

int exit_code_for(const Error& error) { return error.kind == ErrorKind::Invalid ? kExitFailure : kExitUsage; }

void print_error(const std::string& tool, const std::string& file, const Error& error) {
  if (file.empty()) {
    print_error(tool, error.message);
    return;
  }
  std::string where = file == "-" ? "<stdin>" : file;
  if (error.offset) {
    char offset[32];
    std::snprintf(offset, sizeof offset, ":%08" PRIx64, *error.offset);
    where += offset;
  }
  std::cerr << where << ": error: " << error.message << '\n';
}

void print_error(const std::string& tool, const std::string& message) {
  const size_t located = message.find(": error: ");
  const bool already_located = located != std::string::npos && message.find('\n') > located &&
                               message.find(' ') > message.rfind(':', located - 1);
  if (already_located) {
    std::cerr << message << '\n';
  } else {
    std::cerr << tool << ": error: " << message << '\n';
  }
}

int report_call_failure(const std::string& tool, const wapc::CallFailure& failure, bool json) {
  if (json) {
    jwt::Json error = {{"kind", std::string(wapc::failure_kind_name(failure.kind))}, {"message", failure.message}};
    print_json({{"ok", false}, {"error", error}});
  } else {
    print_error(tool, std::string(wapc::failure_kind_name(failure.kind)) + ": " + failure.message);
  }
  return kExitFailure;
}

void print_json(const jwt::Json& value) { std::cout << json::dump(value, 2) << '\n'; }

int run_tool(int argc, char** argv, const std::string& name, const std::string& description,
             std::initializer_list<SubcommandEntry> entries) {
  CLI::App app(description, name);
  app.set_version_flag("--version", name + " 0.1.0");
  app.require_subcommand(1);
  std::vector<Subcommand> subcommands;
  for (const auto& entry : entries)
    subcommands.push_back(entry.setup(app.add_subcommand(entry.name, entry.description)));
  if (int code = parse_command_line(app, argc, argv); code >= 0) return code;
  aot_engine::set_default_toolchain(environment::aot_toolchain());
  for (const auto& subcommand : subcommands) {
    if (subcommand.app->parsed()) return finish_output(subcommand.run());
  }
  return kExitUsage;
}

int write_raw_reply(const std::string& tool, ByteView reply) {
  std::cout.flush();  // anything printed before goes first
  if (auto written = write_file_atomically("-", reply); !written) {
    print_error(tool, written.error().message);
    return kExitUsage;
  }
  return kExitSuccess;
}

int finish_output(int exit_code) {
  // A report that could not be written (a full disk, /dev/full, a closed pipe) is lost: the
  // run did not do its job, whatever it computed.
  std::cout.flush();
  if (std::cout.fail() || std::fflush(stdout) != 0) {
    print_error(program_invocation_short_name,
                std::string("cannot write to standard output: ") + std::strerror(errno ? errno : EIO));
    return exit_code == kExitSuccess ? kExitUsage : exit_code;
  }
  return exit_code;
}

int parse_command_line(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    std::cerr << app.get_name() << ": error: " << error.what() << '\n';
    std::cerr << "Run with --help for more information.\n";
    return kExitUsage;
  }
  return -1;
}

Status check_issuer_keys(const std::vector<std::string>& keys) {
  for (const auto& key : keys) {
    auto decoded = nkeys::decode_public_key(key);
    if (!decoded) return input_error("--allow-issuer " + key + ": " + decoded.error().message);
    if (decoded->type != nkeys::KeyType::Account) {
      return input_error("--allow-issuer " + key + ": a " + std::string(nkeys::type_name(decoded->type)) +
                         " key, where an account key (A...) signs modules");
    }
  }
  return ok_status();
}

int print_json_reply(ByteView reply, const std::optional<jwt::Json>& decoded) {
  Json report = {{"ok", true}};
  if (decoded) {
    report["reply"] = *decoded;
  } else {
    json::put_bytes(report, "reply", reply);
  }
  print_json(report);
  return kExitSuccess;
}

}  // namespace wascc::tools
