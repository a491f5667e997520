import cluster from "node:cluster";
import { startProxySupervisor } from "./supervisor/proxy-supervisor";
import { startProxyWorker } from "./supervisor/proxy-worker";

/**
 * The proxy process: run as the supervisor (the process started by the stack or by hand, the one to
 * signal), or, in the processes it forks, as a worker.
 */
export function startProxyProcess(): Promise<void> {
  return cluster.isPrimary ? startProxySupervisor() : startProxyWorker();
}
