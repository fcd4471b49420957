// The built UI in headless Debian Chromium against a real `assay serve` on 127.0.0.1: the
// same UI as the desktop app, over the HTTP transport.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { sandbox, serve, openBrowser, need, check, eventually, outDir } from './harness.mjs';

const { env, demo, root } = sandbox();
const server = await serve(env, ['--project', demo, '--ui', need('ASSAY_UI_DIR')]);
const { browser, page, errors: consoleErrors, tid } = await openBrowser(server.url).catch((e) => {
  server.stop();
  throw e;
});
try {

  await eventually('the demo project is open', async () => (await tid('project-name').innerText()).includes('Assay demo'));
  for (const name of ['penguins', 'flights', 'airports', 'airlines']) {
    await tid(`dataset-row-${name}`).waitFor();
  }
  check((await tid('dataset-row-flights').innerText()).includes('parquet'), 'flights row shows parquet');

  await page.getByRole('button', { name: /compute fingerprints/i }).click();
  await eventually('the fingerprint job succeeds in the jobs dock', async () => /succeeded/i.test(await tid('jobs').innerText()));
  await eventually('the penguins row shows its fingerprint', async () => /[0-9a-f]{8}/.test(await tid('dataset-row-penguins').innerText()));

  await tid('nav-logs').click();
  await eventually('the log view shows the job log', async () => (await tid('log-view').innerText()).includes('job ended'));

  await tid('nav-project').click();
  const before = await page.evaluate(() => document.documentElement.dataset.theme);
  await tid('theme-toggle').click();
  const after = await page.evaluate(() => document.documentElement.dataset.theme);
  check(before !== after, `theme toggles (${before} -> ${after})`);

  await page.screenshot({ path: join(outDir, 'browser.png') });

  // Datasets & Profiling: browse the flights slice, then profile it.
  await tid('nav-datasets').click();
  await tid('dataset-item-flights').click();
  await eventually('the browser shows 27,004 flights', async () => (await tid('browse-total').innerText()).includes('27,004'));
  await tid('search-input').fill('N14228');
  await eventually('search narrows the rows', async () => {
    const m = (await tid('browse-total').innerText()).match(/^\s*([\d,]+) rows? of 27,004/);
    return m && m[1] !== '27,004' && m[1] !== '0';
  });
  await tid('tab-profile').click();
  await tid('profile-button').click();
  await eventually('the profile overview appears', async () => (await tid('profile-overview').innerText()).includes('27,004'), 60_000);
  await eventually('alerts are listed', async () => (await tid('alert-list').innerText()).toLowerCase().includes('year'));
  await tid('column-row-dep_delay').click();
  await eventually('the column detail shows dep_delay', async () => (await tid('column-detail').innerText()).includes('dep_delay'));
  await tid('correlation-heatmap').waitFor();
  await page.screenshot({ path: join(outDir, 'profile.png'), fullPage: false });

  // Export: the HTML report lands in the project's reports/ folder, standalone and complete.
  await tid('export-html').click();
  await eventually('the export job reports its file', async () => (await tid('export-done').innerText()).includes('reports/flights-profile.html'), 60_000);
  const html = readFileSync(join(demo, 'reports', 'flights-profile.html'), 'utf8');
  check(html.startsWith('<!DOCTYPE html>') && !html.includes('<script') && html.includes('id="column-dep_delay"'), 'the HTML report is standalone and has dep_delay');
  const pngDownload = page.waitForEvent('download');
  await tid('histogram-chart-png').click();
  const png = await pngDownload;
  check(png.suggestedFilename().endsWith('.png'), `a chart saves as PNG (${png.suggestedFilename()})`);
  check(consoleErrors.length === 0, `no page errors (${consoleErrors.join('; ')})`);

  // Read options: the detected CSV dialect, editable, checked against the file, saved in assay.toml.
  await tid('dataset-item-penguins').click();
  await tid('tab-browse').click();
  await eventually('penguins shows 344 rows', async () => (await tid('browse-total').innerText()).includes('344'));
  await tid('read-options').click();
  check((await tid('read-options-delimiter').inputValue()) === ',', 'the dialog shows the detected comma');
  check((await tid('read-options-encoding').inputValue()) === 'utf8', 'and the detected encoding, UTF-8');
  await tid('read-options-delimiter').fill(';;');
  await eventually('a two-character delimiter is refused before saving', async () =>
    (await page.getByRole('alert').first().innerText()).length > 0 && (await tid('read-options-apply').isDisabled()));
  await tid('read-options-delimiter').fill(',');
  await tid('read-options-header').uncheck();
  await page.screenshot({ path: join(outDir, 'read-options.png') });
  await tid('read-options-apply').click();
  await eventually('without a header line the names become data: 345 rows', async () => (await tid('browse-total').innerText()).includes('345'));
  check(readFileSync(join(demo, 'assay.toml'), 'utf8').includes('has_header = false'), 'the override is saved in assay.toml');
  await tid('read-options').click();
  await tid('read-options-detect').click();
  await eventually('detect again brings back 344 rows', async () => (await tid('browse-total').innerText()).includes('344'));
  check(!readFileSync(join(demo, 'assay.toml'), 'utf8').includes('has_header'), 'detect again removes the override');

  // A bad path gets a clear message, not a crash.
  const res = await page.evaluate(async (path) => {
    const r = await fetch('/api/open_project', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path }) });
    return { status: r.status, body: await r.json() };
  }, join(root, 'no-such-folder'));
  check(res.status === 404 && res.body.code === 'not_found', `opening a missing folder is a 404 not_found (${JSON.stringify(res.body)})`);
} finally {
  await browser.close();
  server.stop();
}
console.log('browser end-to-end: all checks passed');
