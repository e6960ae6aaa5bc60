// A waPC guest written with the public AssemblyScript guest SDK, to prove that guests this
// project did not shape run on its hosts. Operations: echo, hostecho (asks the host to echo),
// fail (a guest error), abort (an AssemblyScript abort: guest error, then a trap), log.
import { register, handleCall, handleAbort, hostCall, consoleLog, Result } from "@wapc/as-guest";

register("echo", function (payload: ArrayBuffer): Result<ArrayBuffer> {
  return Result.ok(payload);
});

register("hostecho", function (payload: ArrayBuffer): Result<ArrayBuffer> {
  const answer = hostCall("default", "example:host", "echo", payload);
  if (!answer.isOk) return Result.error<ArrayBuffer>(answer.error()!);
  return Result.ok(answer.get());
});

register("fail", function (payload: ArrayBuffer): Result<ArrayBuffer> {
  return Result.error<ArrayBuffer>(new Error("failed: " + String.UTF8.decode(payload)));
});

register("abort", function (payload: ArrayBuffer): Result<ArrayBuffer> {
  assert(payload.byteLength == 12345, "payload was not 12345 bytes");
  return Result.ok(payload);
});

register("log", function (payload: ArrayBuffer): Result<ArrayBuffer> {
  consoleLog("log from AssemblyScript: " + String.UTF8.decode(payload));
  return Result.ok(payload);
});

export function __guest_call(operation_size: usize, payload_size: usize): bool {
  return handleCall(operation_size, payload_size);
}

export function abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  handleAbort(message, fileName, line, column);
  unreachable();
}
