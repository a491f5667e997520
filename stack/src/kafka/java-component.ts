import { readPidFile } from "../process/pid-file";
import { isProcessAlive, processCommandLine } from "../process/process-state";

export type RunningJava = { pid: number } | { pid: null; stalePid: number | null };

/** Our JVM runs under the pid in the pid file: alive, and its command line names our main class and state folder. */
export function runningJava(pidFile: string, mainClass: string, stateDir: string): RunningJava {
  const pid = readPidFile(pidFile);
  if (pid === null) return { pid: null, stalePid: null };
  const commandLine = processCommandLine(pid);
  const ours =
    isProcessAlive(pid) &&
    (commandLine === null || (commandLine.includes(mainClass) && commandLine.includes(stateDir)));
  return ours ? { pid } : { pid: null, stalePid: pid };
}
