// The Quality panel in headless Chromium against `assay serve` on the demo project: run the demo
// suite, read failing rows, build a rule by point and click, break and fix the YAML, follow the
// history, suggest a suite from a profile and export the HTML report.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { sandbox, serve, openBrowser, need, check, eventually, outDir } from './harness.mjs';

const { env, demo } = sandbox();
const server = await serve(env, ['--project', demo, '--ui', need('ASSAY_UI_DIR')]);
const { browser, page, errors, tid } = await openBrowser(server.url).catch((e) => {
  server.stop();
  throw e;
});
try {
  const text = async (id) => (await tid(id).innerText());

  await tid('nav-quality').click();
  await eventually('the demo suite is listed and opened', async () => (await text('suite-file')).includes('rules/flights.yaml'));
  await tid('rule-row-0').waitFor();

  // Run: every rule in one pass; the unknown destinations fail on purpose.
  await tid('suite-run').click();
  await eventually('the results list the failing destination rule', async () => (await text('quality-results')).includes('every destination is a known airport'), 60_000);
  const totals = await text('quality-totals');
  check(/27,004 rows/.test(totals) && /1 failed/.test(totals), `totals name rows and failures (${totals})`);
  await tid('result-every destination is a known airport').click();
  await eventually('failing rows show row numbers and destinations', async () => /row[\s\S]*dest/.test(await text('failing-rows')));
  await page.screenshot({ path: join(outDir, 'quality-results.png') });

  // Builder: a range rule on dep_delay, with the profile's hints when there is one.
  await tid('quality-tab-rules').click();
  await tid('rule-kind').selectOption('between');
  await tid('rule-column').selectOption('dep_delay');
  await tid('rule-min').fill('-60');
  await tid('rule-max').fill('abc');
  await tid('rule-submit').click();
  await eventually('a bad number is refused with a message', async () => (await text('rule-form-error')).includes('max must be a number'));
  await tid('rule-max').fill('1500');
  await tid('rule-submit').click();
  await eventually('the new rule is in the list', async () => (await text('rule-builder')).includes('dep_delay in [-60, 1500]'));
  await tid('quality-tab-yaml').click();
  const yaml = await tid('suite-yaml').inputValue();
  check(yaml.includes('- between: {column: dep_delay, min: -60, max: 1500}'), 'the YAML view has the new rule on one line');
  await page.screenshot({ path: join(outDir, 'quality-yaml.png') });

  // YAML: an unknown rule is reported by line; the builder waits until it is fixed.
  await tid('suite-yaml').fill(`${yaml}  - no_such_rule: x\n`);
  await eventually('the unknown rule is reported with its line', async () => /line \d+[\s\S]*no_such_rule/.test(await text('suite-diagnostics')));
  await tid('quality-tab-rules').click();
  await tid('builder-blocked').waitFor();
  await tid('quality-tab-yaml').click();
  await tid('suite-yaml').fill(yaml);
  await tid('suite-save').click();
  await eventually('the suite is saved', async () => (await text('quality-message')).includes('Saved rules/flights.yaml'));
  check(readFileSync(join(demo, 'rules', 'flights.yaml'), 'utf8') === yaml, 'the file on disk is the text in the editor');

  // A second run: the history has two runs and a trend per rule.
  await tid('suite-run').click();
  await eventually('the second run is shown', async () => (await text('quality-results')).includes('dep_delay'), 60_000);
  await tid('quality-tab-history').click();
  await eventually('the history lists two runs', async () => (await tid('history-run').count()) === 2);
  await tid('history-trend-chart').waitFor();
  await page.waitForTimeout(800);
  await page.screenshot({ path: join(outDir, 'quality-history.png') });

  // Export the run as a standalone HTML report.
  await tid('quality-tab-results').click();
  await tid('quality-export-html').click();
  await eventually('the report is written', async () => (await text('quality-message')).includes('reports/flights-check.html'));
  const html = readFileSync(join(demo, 'reports', 'flights-check.html'), 'utf8');
  check(html.includes('every destination is a known airport') && !html.includes('<script'), 'the quality report is standalone');

  // Suggest a suite for penguins from its profile: reviewed before it is saved.
  await tid('new-suite-dataset').selectOption('penguins');
  await tid('suggest-suite').click();
  await eventually('a suggested suite opens unsaved', async () => (await text('suite-file')).includes('rules/penguins.yaml') && (await text('suite-note')).includes('suggested'), 60_000);
  check((await tid('rule-builder').innerText()).includes('species'), 'suggestions cover species');
  await tid('suite-save').click();
  await eventually('the suggested suite is saved and listed', async () => (await tid('suite-item-rules/penguins.yaml').count()) === 1);
  check(errors.length === 0, `no page errors (${errors.join('; ')})`);
} finally {
  await browser.close();
  server.stop();
}
