/* Message subscriber actor (claims: wascc:messaging): for each message delivered with a reply
 * subject, publishes "reply: <body>" to it, so that a NATS request to a subscribed subject gets
 * an answer. Bind it with SUBSCRIPTION (and QUEUEGROUP_NAME, URL=nats://... for NATS). */
#include "wascc_actor.h"

static int deliver_message(wapc_bytes payload) {
  wascc_broker_message message;
  if (!wascc_decode_broker_message(payload, &message))
    return wapc_fail("DeliverMessage: the payload is not a BrokerMessage");
  wapc_log("subscriber: message received");
  if (message.reply_to.len == 0) {
    static const uint8_t nil = 0xc0;
    wapc_respond(&nil, 1);
    return 1;
  }
  static const char prefix[] = "reply: ";
  uint32_t length = sizeof prefix - 1 + message.body.len;
  uint8_t* text = (uint8_t*)wapc_alloc(length);
  wapc_memcpy(text, (const uint8_t*)prefix, sizeof prefix - 1);
  wapc_memcpy(text + sizeof prefix - 1, message.body.data, message.body.len);
  wapc_bytes answer = {text, length};
  wapc_bytes no_reply = {0, 0};
  if (!wascc_publish(message.reply_to, no_reply, answer)) return 0;
  static const uint8_t nil = 0xc0;
  wapc_respond(&nil, 1);
  return 1;
}

static const wapc_operation operations[] = {{"DeliverMessage", deliver_message}};
WAPC_GUEST(operations)
