// The real desktop binary, driven through WebDriver (tauri-driver + WebKitWebDriver) under
// Xvfb: it opens the demo project, switches panels, reads the page and saves a screenshot.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, need, check, eventually, outDir } from './harness.mjs';

const DRIVER = 'http://127.0.0.1:4444';
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

async function wd(method, path, body) {
  const res = await fetch(`${DRIVER}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

const { env } = sandbox();
const driver = spawn('tauri-driver', ['--port', '4444'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
let session;
try {
  await eventually('tauri-driver is up', async () => (await fetch(`${DRIVER}/status`)).ok, 30_000);
  const created = await wd('POST', '/session', {
    capabilities: {
      alwaysMatch: {
        browserName: 'wry',
        'tauri:options': { application: need('ASSAY_DESKTOP_BIN'), args: ['--demo'] },
      },
    },
  });
  session = created.sessionId;
  const s = `/session/${session}`;
  const find = async (css) => (await wd('POST', `${s}/element`, { using: 'css selector', value: css }))[ELEMENT];
  // WebKitWebDriver's "Get Element Text" answers "" under Xvfb, so read innerText in the page.
  const text = async (css) => {
    await find(css);
    return wd('POST', `${s}/execute/sync`, { script: 'return document.querySelector(arguments[0]).innerText', args: [css] });
  };
  const click = async (css) => wd('POST', `${s}/element/${await find(css)}/click`, {});

  await eventually('the demo project is open', async () => (await text('[data-testid="project-name"]')).includes('Assay demo'), 60_000);
  await eventually('the penguins data set is listed', async () => (await text('[data-testid="dataset-row-penguins"]')).includes('csv'));
  const flights = await text('[data-testid="dataset-row-flights"]');
  check(flights.includes('parquet'), `flights row shows its format: "${flights}"`);

  await click('[data-testid="nav-logs"]');
  await eventually('the log view shows the engine log', async () => (await text('[data-testid="log-view"]')).includes('project opened'));

  await click('[data-testid="nav-project"]');
  await eventually('back on the project view', async () => (await text('[data-testid="dataset-row-airports"]')).includes('airports'));

  const before = await wd('POST', `${s}/execute/sync`, { script: 'return document.documentElement.dataset.theme', args: [] });
  await click('[data-testid="theme-toggle"]');
  const after = await wd('POST', `${s}/execute/sync`, { script: 'return document.documentElement.dataset.theme', args: [] });
  check(before !== after && ['light', 'dark'].includes(after), `theme toggles (${before} -> ${after})`);
  await click('[data-testid="theme-toggle"]');

  const png = await wd('GET', `${s}/screenshot`);
  const file = join(outDir, 'desktop.png');
  writeFileSync(file, Buffer.from(png, 'base64'));
  check(png.length > 10_000, `screenshot saved to ${file}`);
} catch (e) {
  if (session) {
    const s = `/session/${session}`;
    const png = await wd('GET', `${s}/screenshot`).catch(() => null);
    if (png) writeFileSync(join(outDir, 'desktop-failure.png'), Buffer.from(png, 'base64'));
    const html = await wd('GET', `${s}/source`).catch(() => '');
    console.error(`page source at failure:\n${String(html).slice(0, 3000)}`);
  }
  throw e;
} finally {
  if (session) await wd('DELETE', `/session/${session}`).catch(() => {});
  driver.kill('SIGTERM');
}
console.log('desktop end-to-end: all checks passed');
