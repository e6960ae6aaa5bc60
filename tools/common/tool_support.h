// What every tool shares: exit codes, error lines, CLI11 parsing with the project's exit
// codes, and the flags every tool spells the same way.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "wascc/wascap/jwt.h"
#include "wascc/base/result.h"
#include "wascc/wapc/wapc_host.h"

namespace wascc::tools {

// The exit codes every tool documents.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;  // the job's own failure: invalid signature, guest error
inline constexpr int kExitUsage = 2;    // usage or input error: bad flags, unreadable or malformed input

int exit_code_for(const Error& error);

// "tool: error: message", or "file:0000002a: error: message" when there is a file (and an
// offset), in WABT's format. Printed to stderr.
void print_error(const std::string& tool, const std::string& file, const Error& error);
void print_error(const std::string& tool, const std::string& message);

// A failed guest call: "tool: error: KIND: message" on stderr, or with `json` the object
// {"ok": false, "error": {"kind", "message"}} on stdout. Returns kExitFailure.
int report_call_failure(const std::string& tool, const wapc::CallFailure& failure, bool json);

// Pretty JSON with a trailing newline, to stdout.
void print_json(const jwt::Json& value);

// A successful call under --json: {"ok": true, "reply": ...}, the reply as `decoded` when given
// (an actor's msgpack as JSON), else as text, or as "reply_base64" when not UTF-8.
int print_json_reply(ByteView reply, const std::optional<jwt::Json>& decoded = std::nullopt);

// A subcommand as CLI11's "subcommands in files" pattern wires it: setup_X(parent) adds the
// flags into an options struct it owns and returns this; main runs the one that parsed.
struct Subcommand {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

// Writes a guest's reply to stdout as it is: kExitSuccess, or kExitUsage after an error line.
int write_raw_reply(const std::string& tool, ByteView reply);

// Flushes stdout; a failed write turns success into kExitUsage with a line on stderr.
int finish_output(int exit_code);

// The main of a tool made of subcommands: one is required; the command line is parsed, the
// library's defaults are set from the environment (the library reads none), and the parsed
// subcommand runs. Returns the exit code.
struct SubcommandEntry {
  const char* name;
  const char* description;  // the line `tool --help` lists it with
  Subcommand (*setup)(CLI::App* command);
};
int run_tool(int argc, char** argv, const std::string& name, const std::string& description,
             std::initializer_list<SubcommandEntry> entries);

// A flag that may be given many times, one value each time (CLI11's vector options would
// otherwise swallow the positionals that follow: "--issuer A file.wasm").
inline CLI::Option* add_repeatable_option(CLI::App& app, const std::string& names, std::vector<std::string>& values,
                                          const std::string& description) {
  return app.add_option(names, values, description)->allow_extra_args(false);
}

// --issuer/--allow-issuer values must be account public keys (A...): a typo must not pass as an
// allow-list that matches nothing.
Status check_issuer_keys(const std::vector<std::string>& keys);

// Parses argv; --help and --version exit 0, any usage error prints CLI11's message and
// returns kExitUsage (never CLI11's own codes). Returns -1 when parsing succeeded.
int parse_command_line(CLI::App& app, int argc, char** argv);

}  // namespace wascc::tools
