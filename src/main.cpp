#include "cli/cli.h"

int main(int argc, char** argv) {
  return hark::cli::run(argc, argv);
}
