import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { RedlineError } from '../../pipeline/errors.ts';
import { probeKafka } from '../../pipeline/kafka/client.ts';
import { CACHE_DIR, DATA_DIR, REPO_ROOT } from '../paths.ts';
import { isAlive, readPid, stopPid, tail } from '../process.ts';

// Runs a real single-node KRaft Kafka broker from the Apache Kafka jars on Maven Central, with the
// machine's Java 17: no Docker, no tarball download. Maven fetches the jars into .cache/.

const KAFKA_DIR = join(REPO_ROOT, 'infra', 'kafka');
export const JAR_DIR = join(CACHE_DIR, 'kafka', 'jars');
const BROKER_DIR = join(DATA_DIR, 'kafka');
const LOG_DIR = join(BROKER_DIR, 'logs');
export const BROKER_LOG = join(BROKER_DIR, 'broker.log');
const PID_FILE = join(BROKER_DIR, 'broker.pid');
const PROPERTIES = join(BROKER_DIR, 'server.properties');

export interface BrokerOptions {
  port?: number;
  controllerPort?: number;
  startTimeoutMs?: number;
  log?: (line: string) => void;
}

function fail(step: string, message: string, logFile?: string): never {
  const logTail =
    logFile && existsSync(logFile) ? `\n--- last lines of ${logFile} ---\n${tail(logFile, 25)}` : '';
  throw new RedlineError('INFRA_KAFKA', `kafka: ${step} failed: ${message}${logTail}`);
}

export function jarsPresent(): boolean {
  return existsSync(JAR_DIR) && readdirSync(JAR_DIR).some((f) => /^kafka_2\.13-.*\.jar$/.test(f));
}

/** `mvn dependency:copy-dependencies` into the cache (Maven's own ~/.m2 cache makes repeats fast). */
export function fetchJars(log: (line: string) => void): void {
  if (jarsPresent()) return;
  log('fetching the Kafka jars from Maven Central (first run only)…');
  const logFile = join(CACHE_DIR, 'kafka', 'maven.log');
  mkdirSync(join(CACHE_DIR, 'kafka'), { recursive: true });
  const out = openSync(logFile, 'w');
  const res = spawnSync(
    'mvn',
    [
      '-B',
      '-q',
      '-f',
      join(KAFKA_DIR, 'pom.xml'),
      'dependency:copy-dependencies',
      `-DoutputDirectory=${JAR_DIR}`,
    ],
    { stdio: ['ignore', out, out] },
  );
  closeSync(out);
  if (res.error) fail('fetching jars', `cannot run mvn (${res.error.message}); install Maven and Java 17`);
  if (res.status !== 0 || !jarsPresent()) fail('fetching jars', `mvn exited with ${res.status}`, logFile);
}

function java(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const res = spawnSync('java', ['-cp', `${JAR_DIR}/*`, ...args], { encoding: 'utf8' });
  if (res.error) fail('running java', `${res.error.message}; install Java 17`);
  return { status: res.status, stdout: res.stdout, stderr: res.stderr };
}

function writeProperties(port: number, controllerPort: number): void {
  const template = readFileSync(join(KAFKA_DIR, 'server.properties'), 'utf8');
  const values: Record<string, string> = {
    port: String(port),
    controllerPort: String(controllerPort),
    dataDir: LOG_DIR,
  };
  writeFileSync(
    PROPERTIES,
    template.replace(/\$\{(\w+)\}/g, (_, k: string) => values[k] ?? ''),
  );
}

/** Formats the storage once: KRaft needs a cluster id written to the log directory before start. */
function formatStorage(): void {
  if (existsSync(join(LOG_DIR, 'meta.properties'))) return;
  const uuid = java(['kafka.tools.StorageTool', 'random-uuid']);
  const clusterId = uuid.stdout.trim().split('\n').pop() ?? '';
  if (uuid.status !== 0 || !clusterId) fail('formatting storage', `random-uuid: ${uuid.stderr.trim()}`);
  const res = java([
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    PROPERTIES,
    '--ignore-formatted',
  ]);
  if (res.status !== 0) fail('formatting storage', res.stderr.trim() || res.stdout.trim());
}

export async function brokerUp(options: BrokerOptions = {}): Promise<{ started: boolean; address: string }> {
  const port = options.port ?? 9092;
  const controllerPort = options.controllerPort ?? port + 1;
  const address = `127.0.0.1:${port}`;
  const log = options.log ?? (() => {});
  if (await probeKafka([address], 1_500)) return { started: false, address };
  const pid = readPid(PID_FILE);
  if (pid && isAlive(pid)) {
    log(`a broker we started (pid ${pid}) is not answering yet; waiting for it…`);
  } else {
    fetchJars(log);
    mkdirSync(LOG_DIR, { recursive: true });
    writeProperties(port, controllerPort);
    formatStorage();
    log(`starting Kafka on ${address} (log: ${BROKER_LOG})…`);
    const out = openSync(BROKER_LOG, 'a');
    const child = spawn(
      'java',
      [
        '-Xms256m',
        '-Xmx1g',
        '-XX:+UseG1GC',
        `-Dlog4j2.configurationFile=${join(KAFKA_DIR, 'log4j2.properties')}`,
        '-cp',
        `${JAR_DIR}/*`,
        'kafka.Kafka',
        PROPERTIES,
      ],
      { detached: true, stdio: ['ignore', out, out] },
    );
    closeSync(out);
    if (!child.pid) fail('starting the broker', 'java did not start');
    child.unref();
    writeFileSync(PID_FILE, String(child.pid));
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  while (Date.now() < deadline) {
    if (await probeKafka([address], 1_500)) return { started: true, address };
    const current = readPid(PID_FILE);
    if (!current || !isAlive(current)) fail('starting the broker', 'the broker process exited', BROKER_LOG);
    await new Promise((r) => setTimeout(r, 500));
  }
  fail('waiting for the broker', `no metadata answer from ${address} in time`, BROKER_LOG);
}

export async function brokerDown(): Promise<boolean> {
  return stopPid(PID_FILE, 30_000);
}

export function brokerPid(): number | null {
  const pid = readPid(PID_FILE);
  return pid && isAlive(pid) ? pid : null;
}

/** Deletes the broker's data (topics, offsets); the next `up` formats anew. */
export function brokerReset(): void {
  rmSync(LOG_DIR, { recursive: true, force: true });
}
