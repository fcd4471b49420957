// The real desktop binary, driven through WebDriver (tauri-driver + WebKitWebDriver) under
// Xvfb: it opens the demo project, switches panels, reads the page, trains and saves a model
// over IPC, and saves a screenshot.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  // The API over Tauri IPC, as the UI's client calls it.
  const api = async (method, params) => {
    const r = await wd('POST', `${s}/execute/async`, {
      script: `const done = arguments[arguments.length - 1];
        window.__TAURI_INTERNALS__.invoke('api', { method: arguments[0], params: arguments[1] })
          .then((ok) => done({ ok }), (e) => done({ err: e?.message ?? JSON.stringify(e) }));`,
      args: [method, params],
    });
    if (r.err !== undefined) throw new Error(`${method}: ${r.err}`);
    return r.ok;
  };
  const finished = async (ref) => {
    let info;
    await eventually('the job ends', async () => (info = await api('get_job', { id: ref.id })).state.state !== 'running', 120_000);
    const ok = info.state.state === 'succeeded';
    check(ok, ok ? `${info.title}: succeeded` : `${info.title}: ${JSON.stringify(info.state)}`);
    return info.state.result;
  };
  const features = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
  const trained = await finished(
    await api('start_train', { dataset: 'penguins', target: 'species', features, model: { kind: 'decision_tree' }, experiment: 'desktop', register_as: 'desktop-tree' }),
  );
  await click('[data-testid="nav-models"]');
  await eventually('the Models panel offers to save the version files to a folder', async () => (await text('[data-testid="artifacts-save-all"]')).includes('Save model/ to a folder'));
  check((await text('[data-testid="version-artifacts"]')).includes('save…'), 'each model file can be saved');
  const dest = mkdtempSync(join(tmpdir(), 'assay-desktop-save-'));
  const saved = await finished(await api('start_save_artifacts', { run_id: trained.run_id, path: 'model', dest }));
  check(saved.target === join(dest, 'model') && existsSync(join(dest, 'model', 'model.json')), `the model is saved: ${JSON.stringify(saved)}`);
  check(readFileSync(join(dest, 'model', 'model.json'), 'utf8').includes('decision_tree'), 'the saved model is the trained decision tree');

  await wd('POST', `${s}/execute/sync`, { script: 'document.querySelector(\'[data-testid="version-files"]\').scrollIntoView()', args: [] });
  await new Promise((r) => setTimeout(r, 500));
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
