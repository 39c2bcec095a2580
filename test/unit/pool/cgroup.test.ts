import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { confine, probeCgroups } from '../../../workers/sandbox/cgroup.ts';

// The cgroup v2 protocol of the sandbox, on a directory tree shaped like a delegated cgroup v2
// mount (this machine's unified hierarchy has neither the cpu nor the memory controller, so the
// kernel's side is not exercised here). What the kernel requires (cgroup-v2.rst, "Enabling and
// Disabling", "No Internal Process Constraint"): a group's cpu.max / memory.max exist only when
// its parent enabled the controllers in `cgroup.subtree_control`, at every level down from the
// root, and processes live in leaves only.

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakeRoot(controllers = 'cpuset cpu io memory pids'): string {
  const root = mkdtempSync(join(tmpdir(), 'cgroup-'));
  roots.push(root);
  writeFileSync(join(root, 'cgroup.controllers'), `${controllers}\n`);
  writeFileSync(join(root, 'cgroup.subtree_control'), '');
  return root;
}

const read = (...p: string[]) => readFileSync(join(...p), 'utf8').trim();

describe('cgroup v2 confinement of sandbox processes', () => {
  it('refuses a hierarchy without the cpu or memory controller, naming the reason', () => {
    const support = probeCgroups(fakeRoot('hugetlb'));
    expect(support).toMatchObject({ available: false });
    expect(!support.available && support.reason).toMatch(/cpu controller is not enabled/);
  });

  it('enables cpu and memory for the subtree at each level before writing a child group limits', () => {
    const root = fakeRoot();
    const support = probeCgroups(root);
    expect(support.available).toBe(true);
    const release = confine(support, 4242, { cpuMax: '50000 100000', memoryMaxBytes: 256 * 2 ** 20 });
    if (!support.available) throw new Error('unreachable');
    expect(read(root, 'cgroup.subtree_control')).toBe('+cpu +memory');
    expect(read(support.parent, 'cgroup.subtree_control')).toBe('+cpu +memory');
    const group = join(support.parent, '4242');
    expect(read(group, 'cpu.max')).toBe('50000 100000');
    expect(read(group, 'memory.max')).toBe(String(256 * 2 ** 20));
    expect(read(group, 'cgroup.procs')).toBe('4242');
    // The parent holds no process itself: only its leaves do.
    expect(() => read(support.parent, 'cgroup.procs')).toThrow();
    release();
  });

  it('a second child reuses the parent group', () => {
    const root = fakeRoot();
    const support = probeCgroups(root);
    confine(support, 1, { cpuMax: 'max 100000', memoryMaxBytes: 1 });
    confine(support, 2, { cpuMax: 'max 100000', memoryMaxBytes: 2 });
    if (!support.available) throw new Error('unreachable');
    expect(read(support.parent, '2', 'memory.max')).toBe('2');
    expect(read(support.parent, 'cgroup.subtree_control')).toBe('+cpu +memory');
  });
});
