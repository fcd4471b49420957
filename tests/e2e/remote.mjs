// A shared server: `assay serve` with a token, opened in headless Chromium. A sign-in link
// (`#token=`) loads the project and leaves the address bar clean; without the token the start
// screen's connect dialog says "token refused" for a wrong one and connects with the right one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, serve, openBrowser, need, check, eventually, outDir } from './harness.mjs';

const TOKEN = 'e2e-0123456789abcdef';
const { env, demo } = sandbox();
const server = await serve({ ...env, ASSAY_TOKEN: TOKEN }, ['--project', demo, '--ui', need('ASSAY_UI_DIR')]);

// One run with an artifact, logged through MLflow's REST API with the token.
async function mlflow(method, path, body) {
  const r = await fetch(`${server.url}/api/2.0/${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
  return r.json();
}
const { experiment_id: exp } = await mlflow('POST', 'mlflow/experiments/create', { name: 'remote' });
const { run } = await mlflow('POST', 'mlflow/runs/create', { experiment_id: exp, run_name: 'remote-run' });
await mlflow('PUT', `mlflow-artifacts/artifacts/${exp}/${run.info.run_id}/artifacts/notes.txt`, 'fetched with the token');
await mlflow('POST', 'mlflow/registered-models/create', { name: 'shared-model' });
await mlflow('POST', 'mlflow/model-versions/create', { name: 'shared-model', source: `mlflow-artifacts:/${exp}/${run.info.run_id}/artifacts`, run_id: run.info.run_id });
const { browser, page, errors, tid } = await openBrowser(`${server.url}/#token=${TOKEN}`).catch((e) => {
  server.stop();
  throw e;
});
try {
  await eventually('the sign-in link opens the demo project', async () => (await tid('project-name').innerText()).includes('Assay demo'));
  check(!page.url().includes('token'), `the token left the address bar (${page.url()})`);
  await tid('dataset-row-penguins').waitFor();
  await page.getByRole('button', { name: /compute fingerprints/i }).click();
  await eventually('the fingerprint job succeeds', async () => /succeeded/i.test(await tid('jobs').innerText()));

  await tid('nav-experiments').click();
  await page.locator('[data-testid="experiment-item"]', { hasText: 'remote' }).first().click();
  await page.locator('[data-testid="run-row"]', { hasText: 'remote-run' }).first().click();
  const download = page.waitForEvent('download');
  await tid('artifact-download').first().click();
  const saved = await (await download).path();
  check(readFileSync(saved, 'utf8') === 'fetched with the token', 'an artifact downloads with the token');

  const fresh = await browser.newPage();
  await fresh.goto(server.url);
  await fresh.getByRole('button', { name: /connect to an assay server/i }).click();
  const dialog = fresh.getByRole('dialog');
  check((await dialog.getByLabel('Server URL').inputValue()) === server.url, 'the dialog offers this server');
  await dialog.getByLabel('Token').fill('wrong-token-0000000000');
  await dialog.getByRole('button', { name: 'Test' }).click();
  await eventually('a wrong token is refused', async () =>
    (await fresh.locator('[data-testid="assay-server-check"]').innerText()).includes('Token refused'),
  );
  await dialog.getByLabel('Token').fill(TOKEN);
  await dialog.getByRole('button', { name: 'Connect' }).click();
  await eventually('connected, the project opens', async () =>
    (await fresh.locator('[data-testid="project-name"]').innerText()).includes('Assay demo'),
  );

  // A laptop's own project with an `mlflow` connection to the shared server (which speaks MLflow's
  // REST API): the Experiments panel browses the server's runs in place and imports one.
  const laptop = sandbox();
  const local = await serve({ ...laptop.env, ASSAY_SECRET_STORE: 'file' }, ['--project', laptop.demo, '--ui', need('ASSAY_UI_DIR')]);
  try {
    const saved = await fetch(`${local.url}/api/save_connection`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'team', kind: 'mlflow', url: server.url, secrets: { token: TOKEN } }),
    });
    check(saved.ok, `the laptop saves an MLflow connection to the shared server (${saved.status})`);
    const mine = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    mine.on('pageerror', (e) => errors.push(e.message));
    const mt = (id) => mine.locator(`[data-testid="${id}"]`);
    await mine.goto(local.url);
    await mt('nav-experiments').click();
    await mt('tracking-source').selectOption('team');
    await mt('remote-tracking-panel').waitFor();
    await eventually('the remote view connects', async () => (await mt('mlflow-remote').count()) > 0 || ((await mt('mlflow-remote-error').count()) > 0 && Promise.reject(new Error(await mt('mlflow-remote-error').innerText()))));
    await mine.getByLabel('Remote experiment').selectOption({ label: 'remote' });
    await eventually('the shared server\'s run is listed in the Experiments panel', async () => (await mt('mlflow-remote-runs').innerText()).includes('remote-run'));
    await mine.screenshot({ path: join(outDir, 'experiments-remote-source.png') });
    await mine.getByLabel('Select remote-run').check();
    await mt('mlflow-import').click();
    await eventually('the run is imported', async () => (await mt('mlflow-import-done').innerText()).length > 0, 60_000);
    await mt('tracking-source').selectOption('');
    await mine.locator('[data-testid="experiment-item"]', { hasText: 'remote' }).first().click();
    await eventually('the imported run is in the project', async () => (await mine.locator('[data-testid="run-row"]', { hasText: 'remote-run' }).count()) > 0);
    await mt('nav-models').click();
    await mt('tracking-source').selectOption('team');
    await eventually('the Models panel lists the shared server\'s registered model', async () => (await mt('mlflow-remote-models').innerText()).includes('shared-model'));
    await mine.screenshot({ path: join(outDir, 'models-remote-source.png') });
    await mt('tracking-source').selectOption('');
    await mt('model-search').waitFor();
  } finally {
    local.stop();
  }
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
} finally {
  await browser.close();
  server.stop();
}
