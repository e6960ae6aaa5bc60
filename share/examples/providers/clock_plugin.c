/* An example native provider plugin (C ABI of wascc_provider.h): capability "examples:clock".
 *   Now   -> the time as decimal milliseconds since the epoch (text)
 *   Tick  <- delivered to each bound actor every INTERVAL_MS (a binding value; 0, the
 *            default, delivers none) with the tick number as decimal text.
 * Build: cc -shared -fPIC -I share/include clock_plugin.c -o libclock_plugin.so -lpthread */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wascc_provider.h"

enum { kMaxActors = 64 };

typedef struct {
  char actor[64];
  long interval_ms;
  int running;
  pthread_t thread;
  struct instance* owner;
} ticker;

typedef struct instance {
  const wascc_host* host;
  pthread_mutex_t lock;
  ticker tickers[kMaxActors];
} instance;

static wascc_buffer text_buffer(const char* text) {
  wascc_buffer out;
  out.len = strlen(text);
  out.data = (uint8_t*)malloc(out.len + 1);
  memcpy(out.data, text, out.len + 1);
  return out;
}

static void* tick_loop(void* argument) {
  ticker* t = (ticker*)argument;
  unsigned long count = 0;
  for (;;) {
    struct timespec pause = {t->interval_ms / 1000, (t->interval_ms % 1000) * 1000000L};
    nanosleep(&pause, NULL);
    pthread_mutex_lock(&t->owner->lock);
    int running = t->running;
    pthread_mutex_unlock(&t->owner->lock);
    if (!running) return NULL;
    char number[32];
    snprintf(number, sizeof number, "%lu", ++count);
    wascc_buffer reply = {NULL, 0};
    t->owner->host->dispatch(t->owner->host->context, t->actor, "Tick", (const uint8_t*)number, strlen(number), &reply);
    free(reply.data);
  }
}

static void* create(const wascc_host* host) {
  instance* self = (instance*)calloc(1, sizeof(instance));
  if (self == NULL) return NULL;
  self->host = host;
  pthread_mutex_init(&self->lock, NULL);
  return self;
}

static void stop_ticker(instance* self, ticker* t) {
  pthread_mutex_lock(&self->lock);
  int was_running = t->running;
  t->running = 0;
  pthread_mutex_unlock(&self->lock);
  if (was_running) pthread_join(t->thread, NULL);
  t->actor[0] = '\0';
}

static int bind_actor(void* opaque, const char* actor, const wascc_config_entry* values, size_t count,
                      wascc_buffer* error) {
  instance* self = (instance*)opaque;
  long interval = 0;
  for (size_t i = 0; i < count; ++i) {
    if (strcmp(values[i].key, "INTERVAL_MS") == 0) {
      char* end = NULL;
      interval = strtol(values[i].value, &end, 10);
      if (*values[i].value == '\0' || *end != '\0' || interval < 0) {
        *error = text_buffer("examples:clock: INTERVAL_MS must be a number of milliseconds");
        return 0;
      }
    }
  }
  if (strlen(actor) >= sizeof self->tickers[0].actor) {
    *error = text_buffer("examples:clock: actor key too long");
    return 0;
  }
  ticker* slot = NULL;
  for (int i = 0; i < kMaxActors && slot == NULL; ++i) {
    if (self->tickers[i].actor[0] == '\0') slot = &self->tickers[i];
  }
  if (slot == NULL) {
    *error = text_buffer("examples:clock: too many actors");
    return 0;
  }
  strcpy(slot->actor, actor);
  slot->interval_ms = interval;
  slot->owner = self;
  if (interval > 0) {
    slot->running = 1;
    pthread_create(&slot->thread, NULL, tick_loop, slot);
  }
  self->host->log(self->host->context, "bound");
  return 1;
}

static void remove_actor(void* opaque, const char* actor) {
  instance* self = (instance*)opaque;
  for (int i = 0; i < kMaxActors; ++i) {
    if (strcmp(self->tickers[i].actor, actor) == 0) stop_ticker(self, &self->tickers[i]);
  }
}

static int handle_call(void* opaque, const char* actor, const char* operation, const uint8_t* payload, size_t length,
                       wascc_buffer* reply) {
  (void)opaque, (void)actor, (void)payload, (void)length;
  if (strcmp(operation, "Now") != 0) {
    *reply = text_buffer("examples:clock has no operation for actors to call but Now");
    return 0;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  char number[32];
  snprintf(number, sizeof number, "%lld", (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
  *reply = text_buffer(number);
  return 1;
}

static void destroy(void* opaque) {
  instance* self = (instance*)opaque;
  for (int i = 0; i < kMaxActors; ++i) {
    if (self->tickers[i].actor[0] != '\0') stop_ticker(self, &self->tickers[i]);
  }
  pthread_mutex_destroy(&self->lock);
  free(self);
}

static const wascc_provider kClock = {WASCC_PROVIDER_ABI_VERSION,
                                      "examples:clock",
                                      "clock",
                                      "0.1.0",
                                      create,
                                      bind_actor,
                                      remove_actor,
                                      handle_call,
                                      destroy};

const wascc_provider* wascc_provider_describe(void) { return &kClock; }
