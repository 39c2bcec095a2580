import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file lives in infra/). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Git-ignored folders: downloaded jars, and service data and logs. */
export const CACHE_DIR = process.env.REDLINE_CACHE_DIR ?? join(REPO_ROOT, '.cache');
export const DATA_DIR = process.env.REDLINE_DATA_DIR ?? join(REPO_ROOT, '.data');
