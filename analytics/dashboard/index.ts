// The SRE dashboard's public surface. Mount it in the analytics process with
// `startDashboard({ config, analytics: consumer })`; `redline dashboard` runs it on its own.
export type { ScatterView } from './scatter.ts';
export { type DashboardHandle, type DashboardOptions, startDashboard } from './server.ts';
export type { SnapshotPayload, StatsPayload } from './state.ts';
export type { WindowSource } from './window-source.ts';
