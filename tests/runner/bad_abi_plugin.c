/* A plugin that speaks a future ABI version: the host must refuse it by name. */
#include "wascc_provider.h"

static const wascc_provider kFuture = {WASCC_PROVIDER_ABI_VERSION + 1, "examples:future", "future", "9", 0, 0, 0, 0, 0};
const wascc_provider* wascc_provider_describe(void) { return &kFuture; }
