import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readFileSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../infra/log.ts';

// cgroup v2 limits for sandbox child processes: where the unified hierarchy is mounted at the
// configured root with the cpu and memory controllers delegated and writable, each child gets its
// own group with `cpu.max` and `memory.max`. Elsewhere (cgroup v1 hosts, containers without
// delegation, macOS) the sandbox keeps only the V8 heap limit, and says so once at start-up.

const log = createLogger('sandbox.cgroup');

export interface CgroupLimits {
  cpuMax: string;
  memoryMaxBytes: number;
}

export type CgroupSupport = { available: true; parent: string } | { available: false; reason: string };

/** Whether cgroup v2 limits can be applied under `root` (checked once per root). */
export function probeCgroups(root: string): CgroupSupport {
  const controllers = join(root, 'cgroup.controllers');
  if (!existsSync(controllers)) return { available: false, reason: `${root} is not a cgroup v2 mount` };
  const enabled = readFileSync(controllers, 'utf8').trim().split(/\s+/);
  for (const c of ['cpu', 'memory']) {
    if (!enabled.includes(c))
      return { available: false, reason: `the ${c} controller is not enabled in ${root}` };
  }
  try {
    accessSync(root, constants.W_OK);
  } catch {
    return { available: false, reason: `${root} is not writable` };
  }
  const parent = join(root, `redline-${process.pid}`);
  try {
    // A group's cpu.max and memory.max exist only where its parent enabled the controllers for
    // its subtree, at every level; processes live in the leaves (one group per child below).
    enableControllers(root);
    mkdirSync(parent, { recursive: true });
    enableControllers(parent);
  } catch (err) {
    // EBUSY: processes live in `root` itself (a delegated group must move them to a leaf first).
    const reason = `cannot enable cpu and memory for groups under ${root}: ${(err as Error).message}`;
    return { available: false, reason };
  }
  return { available: true, parent };
}

function enableControllers(group: string): void {
  const file = join(group, 'cgroup.subtree_control');
  const enabled = existsSync(file) ? readFileSync(file, 'utf8').replaceAll('+', '').split(/\s+/) : [];
  if (enabled.includes('cpu') && enabled.includes('memory')) return;
  writeFileSync(file, '+cpu +memory');
}

const probed = new Map<string, CgroupSupport>();

/** The probe result, logged once per root: the start-up notice when limits are unavailable. */
export function cgroupSupport(root: string): CgroupSupport {
  let support = probed.get(root);
  if (!support) {
    support = probeCgroups(root);
    probed.set(root, support);
    if (support.available)
      log.info({ root }, 'cgroup v2 limits (cpu.max, memory.max) apply to sandbox processes');
    else
      log.warn(
        { reason: support.reason },
        'cgroup v2 limits are not available; sandbox processes keep only their heap limit',
      );
  }
  return support;
}

/** Puts a child process in its own cgroup with the limits; returns a cleanup for after it exits. */
export function confine(support: CgroupSupport, pid: number, limits: CgroupLimits): () => void {
  if (!support.available) return () => {};
  const group = join(support.parent, String(pid));
  mkdirSync(group, { recursive: true }); // a reused pid may find its old group
  writeFileSync(join(group, 'cpu.max'), limits.cpuMax);
  writeFileSync(join(group, 'memory.max'), String(limits.memoryMaxBytes));
  writeFileSync(join(group, 'cgroup.procs'), String(pid));
  return () => {
    try {
      rmdirSync(group);
    } catch {
      // Still populated or already gone: the kernel removes nothing by itself, but a retry is not worth a leak of one empty dir.
    }
  };
}
