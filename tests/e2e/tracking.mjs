// The Experiments and Models panels in headless Chromium against `assay serve`, over tracking
// data logged through the server's real MLflow REST API: filter, sort, run detail (curves,
// artifact preview), compare (differences only), 2,000 runs scrolled to the end, the registry
// (aliases edited), lineage to a profiled, quality-checked data set and back to the run; then
// training in the app (a random forest registered as penguin-rf, scoring with it, k-means).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox, serve, openBrowser, need, check, eventually, outDir } from './harness.mjs';

const { env, demo } = sandbox();
const server = await serve(env, ['--project', demo, '--ui', need('ASSAY_UI_DIR')]);
const base = server.url.replace(/\/$/, '');

async function rest(method, path, body) {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : {};
}
const mlflow = (path, body) => rest('POST', `/api/2.0/mlflow/${path}`, body);
const api = (method, params) => rest('POST', `/api/${method}`, params);

async function waitJob(ref) {
  for (let i = 0; i < 300; i++) {
    const job = await api('get_job', ref);
    if (job.state.state === 'succeeded') return job;
    if (job.state.state !== 'running' && job.state.state !== 'queued') throw new Error(`job ${ref.id}: ${JSON.stringify(job.state)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${ref.id} did not finish`);
}

/** Runs `work(i)` for i in 0..n with `width` at a time. */
async function pool(n, width, work) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

// ----- seed: one experiment of 7 hand-made runs ---------------------------------------------
const t0 = Date.UTC(2025, 0, 6, 9, 0, 0);
const { experiment_id: exp } = await mlflow('experiments/create', { name: 'churn' });
const models = ['rf', 'rf', 'gbm', 'gbm', 'logreg', 'logreg', 'rf'];
const accuracy = [0.91, 0.87, 0.93, 0.95, 0.81, 0.79, 'NaN'];
const runs = [];
for (let i = 0; i < models.length; i++) {
  const start = t0 + i * 600_000;
  const { run } = await mlflow('runs/create', { experiment_id: exp, run_name: `run-${i}`, start_time: start });
  const id = run.info.run_id;
  const metrics = [];
  for (let step = 0; step < 60; step++) {
    const ts = start + step * 2000;
    metrics.push({ key: 'val loss', value: 1.2 * Math.exp(-step / (12 + i * 3)) + 0.05 * Math.sin(step) + 0.1, timestamp: ts, step });
    metrics.push({ key: 'train.loss', value: 1.1 * Math.exp(-step / (10 + i)) + 0.05, timestamp: ts, step });
  }
  metrics.push({ key: 'accuracy', value: accuracy[i], timestamp: start + 130_000, step: 59 });
  await mlflow('runs/log-batch', {
    run_id: id,
    metrics,
    params: [
      { key: 'model', value: models[i] },
      { key: 'max_depth', value: String(4 + i) },
      { key: 'seed', value: '42' },
      { key: 'learning rate', value: String(0.1 / (i + 1)) },
    ],
    tags: [{ key: 'team', value: 'growth' }, { key: 'mlflow.user', value: 'ada' }],
  });
  await mlflow('runs/log-inputs', {
    run_id: id,
    datasets: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: { name: 'flights', digest: 'f1a2b3c4d5', source_type: 'local', source: '{"uri": "data/flights_2013_01.parquet"}' } }],
  });
  const put = async (path, body) => {
    const r = await fetch(`${base}/api/2.0/mlflow-artifacts/artifacts/${exp}/${id}/artifacts/${path}`, { method: 'PUT', body });
    if (!r.ok) throw new Error(`upload ${path}: ${r.status}`);
  };
  await put('notes.txt', `Run ${i}: ${models[i]} with max_depth ${4 + i}.\nValidation looked stable.\n`);
  await put('model/MLmodel', `artifact_path: model\nflavors:\n  sklearn: {}\n`);
  await mlflow('runs/update', { run_id: id, status: i === 5 ? 'FAILED' : 'FINISHED', end_time: start + 135_000 });
  runs.push(id);
}
check(runs.length === 7, 'seven runs logged through the MLflow REST API');

// Registry: two versions of one model, an alias on the first.
await mlflow('registered-models/create', { name: 'churn-classifier' });
for (const i of [3, 2]) {
  await mlflow('model-versions/create', { name: 'churn-classifier', source: `mlflow-artifacts:/${exp}/${runs[i]}/artifacts/model`, run_id: runs[i] });
}
await mlflow('registered-models/alias', { name: 'churn-classifier', alias: 'champion', version: '1' });

// The data set the runs read: profiled and checked, so the lineage has something to show.
await waitJob(await api('start_profile', { dataset: 'flights' }));
await waitJob(await api('start_quality_run', { file: 'rules/flights.yaml' }));

// ----- seed: 2,000 runs of a sweep -----------------------------------------------------------
const { experiment_id: big } = await mlflow('experiments/create', { name: 'big-sweep' });
const SWEEP = 2000;
const began = Date.now();
await pool(SWEEP, 8, async (i) => {
  const { run } = await mlflow('runs/create', { experiment_id: big, run_name: `sweep-${String(i).padStart(4, '0')}`, start_time: t0 + i * 1000 });
  await mlflow('runs/log-batch', {
    run_id: run.info.run_id,
    metrics: [
      { key: 'accuracy', value: 0.5 + (i % 100) / 200, timestamp: t0 + i * 1000, step: 0 },
      { key: 'val loss', value: 1 - (i % 100) / 150, timestamp: t0 + i * 1000, step: 0 },
    ],
    params: [
      { key: 'lr', value: String([0.001, 0.01, 0.1][i % 3]) },
      { key: 'batch', value: String([32, 64][i % 2]) },
    ],
    tags: [],
  });
});
console.log(`ok - ${SWEEP} sweep runs logged in ${((Date.now() - began) / 1000).toFixed(1)} s`);

// ----- the UI --------------------------------------------------------------------------------
const { browser, page, errors, tid } = await openBrowser(server.url, { width: 1440, height: 920 }).catch((e) => {
  server.stop();
  throw e;
});
const shot = (name) => page.screenshot({ path: join(outDir, `${name}.png`) });
try {
  const text = async (id) => (await tid(id).innerText()).trim();
  const openExperiment = async (name) => {
    await page.locator('[data-testid="experiment-item"]', { hasText: name }).first().click();
  };
  const cellTexts = async (column) => page.locator(`[data-testid="run-row"] [data-cell="${column}"]`).allInnerTexts();

  await tid('nav-experiments').click();
  await tid('experiments-panel').waitFor();
  await openExperiment('Default');
  await eventually('an experiment without runs explains how to log them', async () => (await text('runs-empty')).includes('MLFLOW_TRACKING_URI=http://127.0.0.1:'));
  await openExperiment('churn');
  await eventually('the churn experiment lists its 7 runs', async () => (await text('runs-total')) === '7 runs');

  // Filter in MLflow syntax: the count is the engine's.
  const expected = accuracy.filter((a) => typeof a === 'number' && a > 0.85).length;
  await tid('runs-filter').fill('metrics.accuracy > 0.85');
  await eventually(`filter metrics.accuracy > 0.85 shows ${expected} runs`, async () => (await text('runs-total')) === `${expected} runs`);
  await tid('runs-filter').fill("metrics.accuracy > 0.85 and params.model = 'gbm'");
  await eventually('a filter on a metric and a param narrows to 2 runs', async () => (await text('runs-total')) === '2 runs');
  await tid('runs-filter').fill('metrics.`val loss` < 0.2');
  await eventually('a backticked metric key with a space filters', async () => /^\d+ runs?$/.test(await text('runs-total')));
  await tid('runs-filter').fill('metrics.accuracy >> 1');
  await eventually('an invalid filter shows the engine\'s message under the box', async () => (await text('runs-filter-error')).length > 0);
  console.log(`   (engine said: ${await text('runs-filter-error')})`);
  await tid('runs-filter').fill('');
  await eventually('clearing the filter shows every run again', async () => (await text('runs-total')) === '7 runs');

  // Sort by clicking a metric header: descending first (NaN and missing last).
  await page.locator('[data-column="metric:accuracy"]').click();
  await eventually('sorting by accuracy orders the rows best first', async () => {
    const vals = (await cellTexts('metric:accuracy')).filter((v) => v !== '' && v !== 'NaN').map(Number);
    return vals.length === 6 && vals.every((v, i) => i === 0 || vals[i - 1] >= v) && vals[0] === 0.95;
  });
  await page.locator('[data-column="metric:accuracy"]').click();
  await eventually('a second click sorts ascending', async () => {
    const vals = (await cellTexts('metric:accuracy')).filter((v) => v !== '' && v !== 'NaN').map(Number);
    return vals.length === 6 && vals.every((v, i) => i === 0 || vals[i - 1] <= v);
  });
  await page.locator('[data-column="metric:accuracy"]').click();
  // Group by a parameter: count and mean ± std.
  await tid('group-by').selectOption('model');
  await eventually('grouping by model gives three groups', async () => (await tid('group-row').count()) === 3);
  check((await text('group-view')).includes('0.940 ± 0.014'), 'groups show mean ± std of the metrics (gbm accuracy 0.940 ± 0.014)');
  await page.waitForTimeout(300);
  await shot('experiments-group');
  await tid('group-by').selectOption('');
  await eventually('the table is back', async () => (await tid('run-row').count()) === 7);
  await page.waitForTimeout(400);
  await shot('experiments');

  // Run detail: header, metric chart, artifact preview.
  await page.locator('[data-testid="run-row"]', { hasText: 'run-3' }).first().click();
  await eventually('the run detail opens on run-3', async () => (await text('run-title')) === 'run-3');
  await eventually('the metric chart is drawn', async () => (await page.locator('[data-testid="metric-chart"][data-ready="true"]').count()) >= 1);
  check((await text('run-params')).includes('max_depth'), 'the run detail lists the params');
  check((await text('run-duration')).includes('min'), 'the run detail shows the duration');
  await tid('smoothing').fill('0.8');
  await page.locator('[data-testid="artifact-file"]', { hasText: 'notes.txt' }).click();
  await eventually('the artifact preview shows the text', async () => (await text('artifact-preview')).includes('Run 3: gbm with max_depth 7'));
  await page.locator('[data-testid="artifact-folder"]', { hasText: 'model' }).click();
  await eventually('folders expand', async () => (await page.locator('[data-testid="artifact-file"]', { hasText: 'MLmodel' }).count()) === 1);
  check((await tid('artifact-download').count()) >= 2, 'artifact files link to their download');
  const href = await tid('artifact-download').first().getAttribute('href');
  const dl = await fetch(new URL(href, base));
  check(dl.ok, `an artifact download link answers (${href})`);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(outDir, 'run-detail.png'), fullPage: true });
  await page.locator('.exp-scroll').evaluate((el) => {
    el.scrollTop = 0;
  });
  await tid('smoothing').fill('0.6');
  await page.waitForTimeout(500);
  await shot('run-detail-top');
  await tid('run-back').click();

  // Compare two runs: differences only.
  await eventually('the table is back after the detail', async () => (await tid('run-row').count()) === 7);
  for (const name of ['run-0', 'run-1']) await page.locator('[data-testid="run-row"]', { hasText: name }).first().locator('[data-testid="run-check"]').check();
  await tid('compare-runs').click();
  await tid('compare-view').waitFor();
  await eventually('compare shows only differing params', async () => {
    const keys = await page.locator('[data-testid="compare-param-row"] td:first-child').allInnerTexts();
    return keys.join(',') === 'learning rate,max_depth';
  });
  await tid('diff-only').uncheck();
  await eventually('without differences only, equal params show too', async () => {
    const keys = await page.locator('[data-testid="compare-param-row"] td:first-child').allInnerTexts();
    return keys.includes('seed') && keys.includes('model');
  });
  await tid('diff-only').check();
  await eventually('overlaid curves are drawn', async () => (await page.locator('[data-testid="compare-chart"][data-ready="true"]').count()) >= 1);
  await eventually('the parallel coordinates are drawn', async () => (await page.locator('[data-testid="parallel-chart"][data-ready="true"]').count()) === 1);
  await eventually('the scatter is drawn', async () => (await page.locator('[data-testid="scatter-chart"][data-ready="true"]').count()) === 1);
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(outDir, 'compare.png'), fullPage: true });
  await tid('compare-back').click();
  // Four runs, the loss curves overlaid (the docs screenshot).
  await eventually('the table is back after comparing', async () => (await tid('run-row').count()) === 7);
  for (const name of ['run-2', 'run-3']) await page.locator('[data-testid="run-row"]', { hasText: name }).first().locator('[data-testid="run-check"]').check();
  await tid('compare-runs').click();
  await tid('compare-view').waitFor();
  await page.locator('.metric-picker button', { hasText: 'accuracy' }).click();
  await page.locator('.metric-picker button', { hasText: 'val loss' }).click();
  await eventually('four runs are compared', async () => (await page.locator('.compare-run-th').count()) === 8);
  await eventually('both loss charts are drawn', async () => (await page.locator('[data-testid="compare-chart"][data-ready="true"]').count()) === 2);
  await page.waitForTimeout(600);
  await shot('compare-4');
  await tid('compare-back').click();
  for (const name of ['run-0', 'run-1', 'run-2', 'run-3']) await page.locator('[data-testid="run-row"]', { hasText: name }).first().locator('[data-testid="run-check"]').uncheck();

  // 2,000 runs: the table is virtual and paged; scroll to the very end.
  await openExperiment('big-sweep');
  await eventually('the sweep shows its total', async () => (await text('runs-total')) === '2,000 runs');
  const rendered = await tid('run-row').count();
  check(rendered < 120, `only the visible rows are in the DOM (${rendered})`);
  const scroller = tid('runs-scroller');
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await eventually(
    'scrolled to the bottom, the last run (oldest: sweep-0000) is shown',
    async () => {
      await scroller.evaluate((el) => {
        el.scrollTop = el.scrollHeight;
      });
      const last = page.locator('[data-row="1999"] [data-testid="run-name"]');
      return (await last.count()) === 1 && (await last.innerText()) === 'sweep-0000';
    },
    20_000,
  );
  await scroller.evaluate((el) => {
    el.scrollTop = el.scrollHeight / 2;
  });
  await eventually('the middle of the table loads too', async () => (await page.locator('[data-row="1000"] [data-testid="run-name"]').count()) === 1);
  // Sort the big table by a metric, server-side.
  await page.locator('[data-column="metric:accuracy"]').click();
  await eventually('sorting 2,000 runs by accuracy puts the best on top', async () => {
    const vals = (await cellTexts('metric:accuracy')).slice(0, 5).map(Number);
    return vals.length === 5 && vals.every((v) => v === 0.995);
  });
  // Several experiments at once.
  await page.locator('[data-testid="experiment-li"], li', { hasText: 'churn' }).locator('[data-testid="experiment-check"]').first().check();
  await eventually('ticking a second experiment shows runs across both', async () => (await text('runs-total')) === '2,007 runs');
  await page.waitForTimeout(300);
  await shot('experiments-sweep');

  // ----- Models ------------------------------------------------------------------------------
  await tid('nav-models').click();
  await tid('models-panel').waitFor();
  await eventually('the model is listed with its alias', async () => (await text('model-list')).includes('churn-classifier') && (await text('model-list')).includes('@champion→v1'));
  await eventually('the model opens with two versions', async () => (await tid('version-row').count()) === 2);
  check((await text('model-aliases')).includes('@champion'), 'the aliases card shows champion');
  await eventually('lineage shows the run, the data set and its quality suite', async () => {
    const l = await text('lineage');
    return l.includes('run-2') && l.includes('flights') && l.includes('rules/flights.yaml') && l.includes('27,004 rows');
  });
  // Version 1 came from run-3.
  await page.locator('[data-testid="version-row"]', { hasText: 'v1' }).click();
  await eventually('choosing v1 traces it to run-3', async () => (await text('lineage')).includes('run-3'));
  await eventually('the version files are listed with download links', async () => (await tid('version-files').locator('[data-testid="artifact-download"]').count()) >= 1);
  const zipHref = await tid('version-files').locator('[data-testid="artifacts-zip-all"]').getAttribute('href');
  const zipHead = await page.evaluate(async (u) => {
    const r = await fetch(u);
    const b = new Uint8Array(await r.arrayBuffer());
    return { status: r.status, magic: String.fromCharCode(b[0], b[1]), type: r.headers.get('content-type') };
  }, zipHref);
  check(zipHead.status === 200 && zipHead.magic === 'PK' && zipHead.type === 'application/zip', `the version's folder downloads as one zip (${JSON.stringify(zipHead)})`);

  // Edit aliases: move champion to v2, add challenger on v1.
  await tid('alias-move-champion').selectOption('2');
  await eventually('champion moved to v2 (checked through the MLflow API)', async () => {
    const r = await rest('GET', '/api/2.0/mlflow/registered-models/alias?name=churn-classifier&alias=champion');
    return r.model_version?.version === '2';
  });
  await tid('alias-name').fill('challenger');
  await tid('alias-version').selectOption('1');
  await tid('alias-add').click();
  await eventually('challenger is set on v1', async () => {
    const r = await rest('GET', '/api/2.0/mlflow/registered-models/alias?name=churn-classifier&alias=challenger');
    return r.model_version?.version === '1';
  });
  await eventually('the list shows both aliases', async () => (await text('model-list')).includes('@challenger→v1') && (await text('model-list')).includes('@champion→v2'));
  await tid('model-describe').click();
  await tid('model-description-input').fill('Predicts churn from account activity.');
  await tid('model-description-save').click();
  await eventually('the description is saved', async () => (await text('model-description')) === 'Predicts churn from account activity.');
  await tid('model-tags-input').fill('team=growth');
  await tid('model-tags-input').press('Enter');
  await eventually('a model tag is added', async () => (await text('model-tags')).includes('team=growth'));
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(outDir, 'models.png'), fullPage: true });

  // From the lineage back to the run in the Experiments panel.
  await tid('lineage-open-run').click();
  await eventually('the lineage link opens the run in Experiments', async () => (await tid('run-detail').count()) === 1 && (await text('run-title')) === 'run-3');

  // Delete a run from the table.
  await tid('run-back').click();
  await openExperiment('churn');
  await eventually('churn alone again', async () => (await text('runs-total')) === '7 runs');
  await page.locator('[data-testid="run-row"]', { hasText: 'run-6' }).first().locator('[data-testid="run-check"]').check();
  await tid('delete-runs').click();
  await page.locator('.modal button.danger, .modal button.primary').last().click();
  await eventually('deleting a run removes it from the table', async () => (await text('runs-total')) === '6 runs');

  // ----- Train in the app ---------------------------------------------------------------------
  // A random forest on penguins species from the four measurements, registered as penguin-rf.
  const numeric = ['bill_length_mm', 'bill_depth_mm', 'flipper_length_mm', 'body_mass_g'];
  await tid('train-open').click();
  await tid('train-view').waitFor();
  await tid('train-dataset').selectOption('penguins');
  await tid('train-kind').selectOption('random_forest');
  const featureNames = () => page.locator('[data-testid="train-feature"]').evaluateAll((els) => els.map((e) => e.dataset.column));
  await eventually('the form offers the numeric penguins columns as features, not the text ones', async () => {
    const cols = await featureNames();
    return numeric.every((c) => cols.includes(c)) && !cols.includes('island') && !cols.includes('species');
  });
  await tid('train-target').selectOption('species');
  check(!(await featureNames()).includes('species'), 'the target is not offered as a feature');
  await tid('train-features-none').click();
  check((await page.locator('[data-testid="train-feature"]:checked').count()) === 0, 'features: none unticks every column');
  for (const c of numeric) await page.locator(`[data-testid="train-feature"][data-column="${c}"]`).check();
  await tid('train-experiment').fill('assay-training');
  await tid('train-run-name').fill('penguin-rf');
  await tid('train-register-as').fill('penguin-rf');
  await tid('train-test-share').fill('1');
  await tid('train-run').click();
  await eventually('an impossible test share is refused in the form', async () => (await text('train-problem')).includes('Test share'));
  await tid('train-test-share').fill('0.25');
  // A big forest shows its progress and can be cancelled (no run is logged).
  await tid('train-n-trees').fill('50000');
  await tid('train-run').click();
  await eventually('training shows progress with a Cancel button', async () => (await tid('train-progress').count()) === 1 && (await text('train-progress')).includes('training'));
  await shot('train-progress');
  await tid('train-cancel').click();
  await eventually('Cancel stops the job', async () => (await tid('train-cancelled').count()) === 1);
  await tid('train-n-trees').fill('100');
  await tid('train-run').click();
  await eventually('training finishes and shows its result', async () => (await tid('train-result').count()) === 1, 60_000);
  const testAccuracy = Number(await text('train-metric-accuracy'));
  check(testAccuracy > 0.9, `the forest's test accuracy is above 0.9 (${testAccuracy})`);
  check((await text('train-task')) === 'classification', 'the task is classification');
  check((await tid('confusion-row').count()) === 3, 'the confusion matrix has the 3 species');
  check((await text('train-rows')).includes('test rows'), `train/test rows are shown (${await text('train-rows')})`);
  check((await text('train-version')).includes('penguin-rf v1'), 'the result shows the registered version penguin-rf v1');
  check((await text('train-train-metrics')).includes('accuracy'), 'the training-row metrics are shown too');
  await eventually('the feature importances are drawn', async () => (await page.locator('[data-testid="train-importances"][data-ready="true"]').count()) === 1);
  await page.waitForTimeout(600);
  await page.screenshot({ path: join(outDir, 'train.png'), fullPage: true });

  // The run it logged: open it, score penguins with its model.
  await tid('train-open-run').click();
  await eventually('Open run shows the trained run', async () => (await tid('run-detail').count()) === 1 && (await text('run-title')) === 'penguin-rf');
  await eventually('the run has its metrics logged', async () => (await text('run-metrics')).includes('test_accuracy'));
  await eventually('a run with an Assay model offers scoring', async () => (await tid('score-dataset').count()) === 1);
  await tid('score-dataset-select').selectOption('penguins');
  await tid('score-format').selectOption('csv');
  await tid('score-run').click();
  await eventually('scoring writes into reports/ and says where', async () => /reports\/\S+\.csv/.test(await text('score-written')));
  const scored = (await text('score-written')).replace(/^wrote\s+/, '');
  check(existsSync(join(demo, scored)), `the scored file exists (${scored})`);
  check(readFileSync(join(demo, scored), 'utf8').split('\n')[0].includes('prediction'), 'the scored file has a prediction column');
  await tid('score-dataset').scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await shot('train-score');
  await tid('run-back').click();
  await eventually('the run is in the runs table of assay-training', async () => {
    const active = await page.locator('[data-testid="experiment-item"].active').allInnerTexts();
    const names = await page.locator('[data-testid="run-row"] [data-testid="run-name"]').allInnerTexts();
    return active.length === 1 && active[0].includes('assay-training') && names.includes('penguin-rf');
  });
  await page.waitForTimeout(300);
  await shot('train-runs');

  await tid('nav-models').click();
  await tid('models-panel').waitFor();
  await eventually('the Models panel lists penguin-rf', async () => (await text('model-list')).includes('penguin-rf'));

  // K-means: no target, a silhouette.
  await tid('nav-experiments').click();
  await tid('experiments-panel').waitFor();
  await tid('train-open').click();
  await tid('train-view').waitFor();
  await tid('train-kind').selectOption('kmeans');
  check((await tid('train-target').count()) === 0, 'k-means has no target');
  await tid('train-run-name').fill('penguin-kmeans');
  await tid('train-register-as').fill('');
  check((await page.locator('[data-testid="train-feature"]:checked').count()) === 4, 'the form kept the four features');
  // More clusters than rows: the job fails and the error banner says why.
  await tid('train-k').fill('1000');
  await tid('train-run').click();
  await eventually('a failed training shows its reason in the error banner', async () => (await text('error-banner')).includes('Training failed'), 60_000);
  console.log(`   (engine said: ${await text('error-banner')})`);
  await page.locator('[data-testid="error-banner"] button[aria-label="Dismiss error"]').first().click();
  await tid('train-k').fill('3');
  await tid('train-run').click();
  await eventually('k-means finishes with a silhouette', async () => (await text('train-task')) === 'clustering' && (await tid('train-metric-silhouette').count()) === 1, 60_000);
  const silhouette = Number(await text('train-metric-silhouette'));
  check(silhouette > 0 && silhouette <= 1, `the silhouette is shown (${silhouette})`);
  check((await tid('train-register').count()) === 1, 'an unregistered result offers Register…');
  await tid('train-register').click();
  await page.locator('.modal input.text-input').fill('penguin-clusters');
  await page.locator('.modal button.primary').click();
  await eventually('Register… registers the run’s model as a new version', async () => (await tid('train-version').count()) === 1 && (await text('train-version')).includes('penguin-clusters v1'));
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(outDir, 'train-kmeans.png'), fullPage: true });

  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
} finally {
  await browser.close();
  server.stop();
}
