#ifndef PORTFOLIO_CLIBFUZZER_SHIM_H
#define PORTFOLIO_CLIBFUZZER_SHIM_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver, linked in by -sanitize=fuzzer. A fuzz target's main calls it with the
   command line and the function to fuzz: SwiftPM gives every executable target a main of its
   own (renamed on Linux so tests can link executables), which keeps libFuzzer's main out. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));

#endif
