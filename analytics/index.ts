// The analytics area's public surface: the consumer process and its in-process reader API
// (latestWindow(), recentAlerts(), 'window' and 'alert' events), the pure engine, and the
// tracing pieces other processes use.
export type { AlertCandidate, AlertRules, BaselineWindow } from './alert-rules.ts';
export type { ClosedWindow, WindowReport } from './analyze-window.ts';
export type { AnalyticsConfig } from './config.ts';
export { AnalyticsConsumer, type AnalyticsStats, type WindowView } from './consumer.ts';
export { AnalyticsEngine, type WindowOutcome } from './engine.ts';
export { SPAN_ATTRIBUTES } from './span-attributes.ts';
export { KafkaSpanExporter } from './span-exporter.ts';
export type { ClusterSummary } from './summary.ts';
