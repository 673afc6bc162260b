// The `hark` command line: one binary for the bus and the tools that talk to it.
//
//   hark [--config FILE]... [--set key.path=value]... [--log-level LEVEL] COMMAND ...
//
// Errors are one line on stderr, "hark: <what went wrong, and where>", with exit code 1; a
// malformed command line gets CLI11's message and exit code 2.
#pragma once

namespace hark::cli {

// Parses the arguments, runs the chosen command and returns the process exit code.
int run(int argc, char** argv);

}  // namespace hark::cli
