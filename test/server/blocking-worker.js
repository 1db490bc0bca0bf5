// A worker thread for test/server/acceptor.test.ts, in place of src/server/worker.ts: a real BullMQ
// worker on the real queue whose job blocks its thread's event loop (synchronously, as a CPU-heavy
// evaluation would) until the test writes `release` in TEST_DIR. It marks each job started and
// finished with files, and ends its thread on a delivery named `crash` (an uncaught failure).
import { existsSync, writeFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const { DeliveryQueue } = await import(new URL("../../dist/server/delivery-queue.js", import.meta.url).href);
const { env } = workerData;
const dir = env.TEST_DIR;
const queue = new DeliveryQueue({ url: env.REDIS_URL, name: env.REQGATE_QUEUE });
const worker = queue.start(async (delivery) => {
  if (delivery.id === "crash") process.exit(3);
  writeFileSync(`${dir}/started-${delivery.id}`, "");
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!existsSync(`${dir}/release`)) Atomics.wait(cell, 0, 0, 10);
  writeFileSync(`${dir}/finished-${delivery.id}`, "");
});
await worker.waitUntilReady();
parentPort.on("message", async (message) => {
  if (message.type === "metrics") parentPort.postMessage({ type: "metrics", id: message.id, data: [] });
  if (message.type === "stop") {
    await queue.close();
    parentPort.postMessage({ type: "stopped" });
    parentPort.close();
  }
});
parentPort.postMessage({ type: "ready" });
