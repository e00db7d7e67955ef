/**
 * Who a process is, precisely enough to tell a dead lock holder from a live
 * one: a pid alone is reused (quickly in containers, whose pids start small),
 * so on Linux the process's start time and the machine's boot id are recorded
 * too. Elsewhere those are undefined and the pid check stands alone.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import * as path from "node:path";

/** The machine's boot id (Linux): it changes on every boot, so a lock from before a reboot is stale. */
export function bootId(): string | undefined {
  try {
    return readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * When process `pid` started, in clock ticks since boot (Linux, /proc/<pid>/stat
 * field 22), as text; undefined when unknown. Two processes with one pid never
 * share it within one boot.
 */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Field 2 is the command name in parentheses and may hold spaces; count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[22 - 3];
  } catch {
    return undefined;
  }
}

/** True when a process with this pid exists (EPERM: it exists but belongs to another user). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface ProcessIdentity {
  readonly pid: number;
  readonly host: string;
  readonly bootId?: string;
  readonly processStart?: string;
}

/** This process's identity. */
export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), bootId: bootId(), processStart: processStart(process.pid) };
}

/**
 * Why the process `holder` describes is certainly gone, or undefined when it
 * may still run. A holder on another host cannot be checked from here.
 */
export function goneReason(holder: ProcessIdentity, self: ProcessIdentity = currentProcess()): string | undefined {
  if (holder.host !== self.host) return undefined;
  if (holder.bootId !== undefined && self.bootId !== undefined && holder.bootId !== self.bootId) {
    return "the machine has restarted since it started";
  }
  if (holder.pid === self.pid) {
    // Only a process that started at the same tick with the same pid is this very process.
    const same = holder.processStart !== undefined && holder.processStart === self.processStart;
    return same ? undefined : `process ${holder.pid} is no longer running (the pid is this process's now)`;
  }
  if (!pidAlive(holder.pid)) return `process ${holder.pid} is no longer running`;
  const start = processStart(holder.pid);
  if (holder.processStart !== undefined && start !== undefined && start !== holder.processStart) {
    return `process ${holder.pid} is no longer running (the pid now belongs to another program)`;
  }
  return undefined;
}

/**
 * Pids of processes whose working directory is `dir` or inside it (Linux,
 * /proc/<pid>/cwd; empty elsewhere). A terraform run started in an output
 * folder keeps working in it after the folder is renamed aside, but not once
 * it is deleted: its relative state path would no longer resolve.
 */
export function processesInside(dir: string): number[] {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  const inside: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(dir + path.sep)) inside.push(Number(entry));
    } catch {
      // Gone meanwhile, or another user's process: not ours to judge.
    }
  }
  return inside;
}
