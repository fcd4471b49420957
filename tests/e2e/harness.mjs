// Shared pieces of the end-to-end tests: an isolated Assay home, the demo project, a real
// `assay serve` on 127.0.0.1, and small assertion helpers that say what they expected.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const here = dirname(fileURLToPath(import.meta.url));
export const outDir = join(here, 'out');
mkdirSync(outDir, { recursive: true });

export function need(name) {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set (run through: cargo xtask e2e)`);
  return v;
}

/** A fresh home: config and data folders, and the demo project installed in it. */
export function sandbox() {
  const root = mkdtempSync(join(tmpdir(), 'assay-e2e-'));
  const env = {
    ...process.env,
    ASSAY_CONFIG_DIR: join(root, 'config'),
    ASSAY_DATA_DIR: join(root, 'data'),
    ASSAY_LOG: 'info',
  };
  const demo = join(root, 'demo');
  execFileSync(need('ASSAY_BIN'), ['init', demo, '--demo'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return { root, env, demo };
}

/** Starts `assay serve` and resolves with its base URL once it listens. */
export function serve(env, args) {
  const child = spawn(need('ASSAY_BIN'), ['serve', '--addr', '127.0.0.1:0', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('assay serve did not start in 30 s')), 30_000);
    child.on('exit', (code) => reject(new Error(`assay serve exited early (${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/http:\/\/\S+/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[0], stop: () => child.kill('SIGTERM') });
      }
    });
  });
}

/** Headless Debian Chromium and one page on `url`, with page errors collected in `errors`. */
export async function openBrowser(url, viewport = { width: 1400, height: 900 }) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
      '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage({ viewport });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  const tid = (id) => page.locator(`[data-testid="${id}"]`);
  return { browser, page, errors, tid };
}

export function check(cond, what) {
  if (!cond) throw new Error(`check failed: ${what}`);
  console.log(`ok - ${what}`);
}

export async function eventually(what, fn, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) {
        console.log(`ok - ${what}`);
        return v;
      }
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out: ${what}${last ? ` (last error: ${last.message})` : ''}`);
}
