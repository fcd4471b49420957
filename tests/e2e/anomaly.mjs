// The Anomalies panel in headless Chromium against `assay serve`: detect on a labelled ADBench
// set, move the threshold, read the flagged rows, explain one, see the ROC curve, export.
import { join, resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sandbox, serve, openBrowser, need, check, eventually, outDir } from './harness.mjs';

const here = fileURLToPath(new URL('.', import.meta.url));
const breastw = resolve(here, '../../../shared/data/anomaly/breastw.parquet');
const { env, demo } = sandbox();
const server = await serve(env, ['--project', demo, '--ui', need('ASSAY_UI_DIR')]);
const { browser, page, errors, tid } = await openBrowser(server.url, { width: 1400, height: 1000 }).catch((e) => {
  server.stop();
  throw e;
});
try {
  const text = async (id) => (await tid(id).innerText());

  const added = await page.evaluate(async (path) => {
    const r = await fetch('/api/add_dataset', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ path, name: 'breastw' }) });
    return r.status;
  }, breastw);
  check(added === 200, 'the labelled breastw set is added to the project');
  await page.reload();

  await tid('nav-anomaly').click();
  await tid('detect-dataset').selectOption('breastw');
  await eventually('the feature list shows the columns', async () => (await text('detect-columns')).includes('x0'));
  await tid('detect-label').selectOption('label');
  await tid('detect-run').click();
  await eventually('the detection finishes with a ROC-AUC', async () => /ROC-AUC 0\.9\d\d/.test(await text('anomaly-summary')), 60_000);
  await tid('roc-chart').waitFor();
  await tid('score-histogram').waitFor();
  await tid('projection-scatter').waitFor();

  // The threshold drives the flagged rows.
  await eventually('flagged rows are listed', async () => (await tid('flagged-row').count()) > 0);
  const before = await text('flagged-total');
  await tid('threshold-mad').first().click();
  await tid('threshold-slider').fill(String(await tid('threshold-slider').getAttribute('min')));
  await eventually('a threshold at the lowest score flags every row', async () => (await text('flagged-total')).startsWith('683 rows flagged'));
  check(before !== (await text('flagged-total')), `moving the threshold changes the flagged rows (${before})`);

  // Explain a row: which features make it unusual.
  await tid('flagged-row').nth(0).click();
  await eventually('the explanation names the most unusual feature', async () => /most unusual: x\d/.test(await text('row-explanation')));
  await tid('explanation-chart').waitFor();
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(outDir, 'anomaly.png'), fullPage: true });

  await tid('threshold-contamination').first().click();
  await tid('export-flagged-csv').click();
  await eventually('flagged rows are exported', async () => (await text('anomaly-exported')).includes('reports/breastw-anomalies.csv'));
  const csv = readFileSync(join(demo, 'reports', 'breastw-anomalies.csv'), 'utf8');
  check(csv.split('\n')[0].includes('anomaly_score') && csv.trim().split('\n').length > 1, 'the CSV has the scores as a column');

  // Saved in the project: the detection is listed after a reload.
  await page.reload();
  await tid('nav-anomaly').click();
  await tid('detect-dataset').selectOption('breastw');
  await eventually('the stored detection is listed', async () => (await tid('anomaly-run-item').count()) === 1);
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
} finally {
  await browser.close();
  server.stop();
}
