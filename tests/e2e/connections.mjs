// The Connections view in headless Chromium against `assay serve`, over a real S3 API (moto's
// server on 127.0.0.1 with IAM authentication on) and a plain HTTP file server: add an S3
// connection in the form (endpoint, path style, secrets to the file store), test it, browse
// into the bucket, preview a Parquet file and a CSV, add the CSV as a data set and profile it
// in the Datasets panel, upload an exported report and find it in the listing, then a wrong
// secret, a missing bucket and a stopped server each give the engine's message in the app.
// Needs moto[server] and boto3 in ASSAY_REMOTE_VENV (default /var/cache/assay/remote-venv).
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer as netServer } from 'node:net';
import { join } from 'node:path';
import { sandbox, serve, openBrowser, need, check, eventually, outDir } from './harness.mjs';

const venv = process.env.ASSAY_REMOTE_VENV ?? '/var/cache/assay/remote-venv';
const motoBin = join(venv, 'bin', 'moto_server');
const python = join(venv, 'bin', 'python');
if (!existsSync(motoBin) || !existsSync(python)) {
  throw new Error(`moto_server and python with boto3 are needed in ${venv} (set ASSAY_REMOTE_VENV)`);
}
const shared = process.env.ASSAY_SHARED_DATA ?? join(need('ASSAY_UI_DIR'), '..', '..', '..', 'shared', 'data');
const penguinsCsv = [join(shared, 'tabular', 'penguins.csv'), '/work/shared/data/tabular/penguins.csv'].find(existsSync);
const airportsParquet = [join(shared, 'tabular', 'nycflights13_airports.parquet'), '/work/shared/data/tabular/nycflights13_airports.parquet'].find(existsSync);
if (!penguinsCsv || !airportsParquet) throw new Error(`shared data not found under ${shared} (set ASSAY_SHARED_DATA)`);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = netServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// ----- the S3 emulator: IAM on after the set-up calls, so a wrong secret is refused -------------
const motoPort = await freePort();
const endpoint = `http://127.0.0.1:${motoPort}`;
const moto = spawn(motoBin, ['-H', '127.0.0.1', '-p', String(motoPort)], {
  env: { ...process.env, INITIAL_NO_AUTH_ACTION_COUNT: '3' },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let motoLog = '';
moto.stderr.on('data', (d) => {
  motoLog = (motoLog + d.toString()).slice(-20_000);
});
const stopMoto = () => {
  if (moto.exitCode === null) moto.kill('SIGTERM');
};
process.on('exit', stopMoto);
// A TCP probe: an HTTP request would use up one of the unauthenticated calls.
await eventually('the S3 emulator listens', () =>
  new Promise((resolve) => {
    const socket = connect(motoPort, '127.0.0.1', () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  }),
);
const seed = `
import boto3, json, sys
ep, csv, parquet = sys.argv[1:4]
iam = boto3.client("iam", endpoint_url=ep, aws_access_key_id="boot", aws_secret_access_key="boot", region_name="us-east-1")
iam.create_user(UserName="assay")
iam.put_user_policy(UserName="assay", PolicyName="all", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="assay")["AccessKey"]
s3 = boto3.client("s3", endpoint_url=ep, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"], region_name="us-east-1")
s3.create_bucket(Bucket="lake")
s3.upload_file(csv, "lake", "raw/penguins.csv")
s3.upload_file(parquet, "lake", "raw/airports.parquet")
s3.put_object(Bucket="lake", Key="raw/notes.txt", Body=b"not data")
for i in range(150):
    s3.put_object(Bucket="lake", Key=f"raw/daily/part-{i:03d}.csv", Body=f"day,value\\n{i},{i * 2}\\n".encode())
print(json.dumps({"id": key["AccessKeyId"], "secret": key["SecretAccessKey"]}))
`;
const creds = JSON.parse(execFileSync(python, ['-c', seed, endpoint, penguinsCsv, airportsParquet], { encoding: 'utf8' }).trim().split('\n').pop());

// ----- a plain HTTP file server (cannot be listed: files are opened by path) ---------------------
const penguinsBytes = readFileSync(penguinsCsv);
const httpFiles = createServer((req, res) => {
  if (req.url !== '/data/penguins.csv' || !['GET', 'HEAD'].includes(req.method ?? '')) {
    res.writeHead(404, { 'content-length': '9' });
    res.end(req.method === 'HEAD' ? undefined : 'not found');
    return;
  }
  const headers = { 'content-type': 'text/csv', 'accept-ranges': 'bytes', 'last-modified': new Date(0).toUTCString() };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  let body = penguinsBytes;
  if (range) {
    const start = Number(range[1]);
    const end = range[2] ? Math.min(Number(range[2]), penguinsBytes.length - 1) : penguinsBytes.length - 1;
    body = penguinsBytes.subarray(start, end + 1);
    res.writeHead(206, { ...headers, 'content-length': String(body.length), 'content-range': `bytes ${start}-${end}/${penguinsBytes.length}` });
  } else {
    res.writeHead(200, { ...headers, 'content-length': String(body.length) });
  }
  res.end(req.method === 'HEAD' ? undefined : body);
});
await new Promise((r) => httpFiles.listen(0, '127.0.0.1', r));
const httpBase = `http://127.0.0.1:${httpFiles.address().port}`;

// ----- Assay, with secrets in the file store of the sandbox (no real keychain touched) ----------
const { env, demo } = sandbox();
env.ASSAY_SECRET_STORE = 'file';
const server = await serve(env, ['--project', demo, '--ui', need('ASSAY_UI_DIR')]);
const { browser, page, errors: pageErrors, tid } = await openBrowser(server.url).catch((e) => {
  server.stop();
  stopMoto();
  httpFiles.close();
  throw e;
});
const shot = (name) => page.screenshot({ path: join(outDir, name) });
const base = server.url.replace(/\/$/, '');
async function api(method, params) {
  const r = await fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const body = await r.json();
  if (!r.ok) throw new Error(`${method}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}
async function waitJob(ref) {
  for (let i = 0; i < 600; i++) {
    const job = await api('get_job', ref);
    if (job.state.state !== 'running' && job.state.state !== 'queued') return job;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${ref.id} did not finish`);
}

try {
  await eventually('the demo project is open', async () => (await tid('project-name').innerText()).includes('Assay demo'));

  // Export a profile report of the local penguins first: it is what gets uploaded later.
  await tid('nav-datasets').click();
  await tid('dataset-item-penguins').click();
  await tid('tab-profile').click();
  await tid('profile-button').click();
  await eventually('the penguins profile appears', async () => (await tid('profile-overview').innerText()).includes('344'), 60_000);
  await tid('export-html').click();
  await eventually('the report is exported', async () => (await tid('export-done').innerText()).includes('reports/penguins-profile.html'), 60_000);

  // ----- add the S3 connection --------------------------------------------------------------------
  await tid('nav-connections').click();
  await tid('conn-none').waitFor();
  await tid('conn-add').click();
  await tid('conn-save').click();
  await eventually('an empty form names its missing fields', async () => (await tid('conn-error-name').isVisible()) && (await tid('conn-error-url').isVisible()));
  await tid('conn-name').fill('lake');
  await tid('conn-url').fill('gs://lake/raw');
  await eventually('a URL of another kind is refused', async () => (await tid('conn-error-url').innerText()).includes('s3://'));
  await tid('conn-url').fill('s3://lake/raw');
  await tid('conn-endpoint').fill(endpoint);
  await tid('conn-region').fill('us-east-1');
  await tid('conn-path_style').check();
  await tid('conn-secret-access_key_id').fill(creds.id);
  await tid('conn-secret-secret_access_key').fill(creds.secret);
  check((await tid('conn-secret-status-secret_access_key').innerText()).includes('will be stored'), 'a typed secret says it will be stored');
  await shot('connections-form.png');
  await tid('conn-save').click();
  await eventually('the connection is listed with its secrets in the file', async () => (await tid('conn-secrets-lake').innerText()).includes('secrets: file'));

  const manifest = readFileSync(join(demo, 'assay.toml'), 'utf8');
  check(manifest.includes('s3://lake/raw') && !manifest.includes(creds.secret) && !manifest.includes(creds.id), 'assay.toml has the connection but not its secrets');
  const configDir = env.ASSAY_CONFIG_DIR;
  const secretsFile = readdirSync(configDir).includes('secrets.toml') ? readFileSync(join(configDir, 'secrets.toml'), 'utf8') : '';
  check(secretsFile.includes(creds.secret), 'the secret is in the fallback file of the config folder');
  const dataFiles = readdirSync(env.ASSAY_DATA_DIR, { recursive: true })
    .map((f) => join(env.ASSAY_DATA_DIR, String(f)))
    .filter((f) => statSync(f).isFile());
  check(dataFiles.length > 0 && dataFiles.every((f) => !readFileSync(f, 'utf8').includes(creds.secret)), `no log file holds the secret (${dataFiles.length} files)`);

  // ----- test, browse, preview ------------------------------------------------------------------------
  await tid('conn-test').click();
  await eventually('the test connects', async () => (await tid('conn-test-result').getAttribute('data-ok')) === 'true');
  await eventually('the bucket prefix lists its folder and files', async () =>
    (await tid('store-entry-daily').isVisible()) && (await tid('store-entry-penguins.csv').isVisible()) && (await tid('store-entry-airports.parquet').isVisible()),
  );
  await tid('store-entry-daily').click();
  await eventually('the folder shows in the breadcrumb', async () => (await tid('store-crumbs').innerText()).replace(/\s+/g, '').includes('s3://lake/raw/daily'));
  await eventually('a long folder is listed (virtual rows)', async () => (await tid('store-entry-part-000.csv').isVisible()));
  const rendered = await page.locator('[data-testid^="store-entry-part-"]').count();
  check(rendered > 5 && rendered < 150, `only the visible rows of 150 files are in the page (${rendered})`);
  await tid('crumb-0').click();
  await tid('store-entry-airports.parquet').click();
  await eventually('the Parquet preview shows rows', async () => (await tid('preview-count').innerText()).includes('1,458 rows'));
  await eventually('preview cells are visible', async () => (await tid('preview-table').innerText()).includes('faa'));
  await tid('store-entry-penguins.csv').click();
  await eventually('the CSV preview shows rows', async () => (await tid('preview-count').innerText()).includes('first 200 of 344 rows'));
  await eventually('preview cells are visible', async () => (await tid('preview-table').innerText()).includes('Adelie'));
  check((await tid('remote-dataset-name').inputValue()) === 'penguins', 'the data set name is the file stem');
  await shot('connections.png');

  // ----- add as data set, open and profile it in the Datasets panel -------------------------------
  await tid('remote-dataset-name').fill('penguins_s3');
  await tid('add-remote-dataset').click();
  await tid('dataset-added').waitFor();
  check(readFileSync(join(demo, 'assay.toml'), 'utf8').includes('s3://lake/raw/penguins.csv'), 'the data set is in assay.toml by its URL');
  await tid('open-dataset').click();
  await eventually('the Datasets panel shows the remote data set', async () => (await tid('dataset-item-penguins_s3').getAttribute('aria-current')) === 'true');
  await eventually('it browses 344 rows', async () => (await tid('browse-total').innerText()).includes('344'), 30_000);
  await tid('tab-profile').click();
  await tid('profile-button').click();
  await eventually('the remote data set profiles to 344 rows', async () => {
    if ((await tid('profile-overview').count()) > 0 && (await tid('profile-overview').innerText()).includes('344')) return true;
    const alert = page.locator('[data-testid="profile-tab"] [role="alert"]');
    if ((await alert.count()) > 0) throw new Error(`profiling failed: ${await alert.first().innerText()}`);
    return false;
  }, 60_000);

  // ----- upload the report, see it in the listing -----------------------------------------------------
  await tid('nav-connections').click();
  await tid('store-entry-daily').waitFor();
  await tid('upload-open').click();
  check((await page.locator('datalist option[value="reports/penguins-profile.html"]').count()) === 1, 'the exported report is suggested');
  await tid('upload-path').fill('reports/penguins-profile.html');
  await tid('upload-prefix').fill('raw/reports');
  await tid('upload-start').click();
  await eventually('the upload finishes', async () => (await tid('upload-done').innerText()).includes('s3://lake/raw/reports/penguins-profile.html'), 60_000);
  await shot('connections-upload.png');
  await tid('upload-close').click();
  await eventually('the uploaded folder is listed', async () => tid('store-entry-reports').isVisible());
  await tid('store-entry-reports').click();
  await eventually('the uploaded report is listed', async () => tid('store-entry-penguins-profile.html').isVisible());
  // A file of several parts (multipart upload), through the same API call.
  const bigBytes = 12 * 1024 * 1024 + 3;
  writeFileSync(join(demo, 'reports', 'big.bin'), Buffer.alloc(bigBytes, 7));
  const bigJob = await waitJob(await api('start_upload', { connection: 'lake', path: 'reports/big.bin', prefix: 'raw/reports' }));
  check(bigJob.state.state === 'succeeded' && bigJob.state.result.bytes === bigBytes, `a 12 MiB file uploads in parts (${JSON.stringify(bigJob.state)})`);
  await tid('store-refresh').click();
  await eventually('the big file is listed with its size', async () => (await tid('store-entry-big.bin').innerText()).includes('12.0 MiB'));
  await tid('upload-open').click();
  await tid('upload-path').fill('reports/no-such-report.html');
  await tid('upload-start').click();
  await eventually('a missing project file is a message in the dialog', async () => (await tid('upload-error').innerText()).length > 0);
  console.log(`  upload error: ${await tid('upload-error').innerText()}`);
  await tid('upload-close').click();

  // ----- faults: a wrong secret, a bucket that does not exist, a stopped server --------------------
  await tid('conn-edit').click();
  check((await tid('conn-secret-status-secret_access_key').innerText()).includes('stored in file'), 'the form says where the secret is stored');
  await tid('conn-remove').click();
  await tid('conn-remove-yes').click();
  await eventually('removing is refused while a data set reads through it', async () => (await tid('conn-form-error').innerText()).includes('penguins_s3'));
  await tid('conn-secret-secret_access_key').fill('wrong-secret');
  await tid('conn-save').click();
  await eventually('the browser lists again with the wrong secret and shows the fault', async () => (await tid('store-error').innerText()).includes('credentials were refused'));
  await tid('conn-test').click();
  await eventually('a wrong secret fails the test', async () => (await tid('conn-test-result').getAttribute('data-ok')) === 'false');
  const credentialError = await tid('conn-test-result').innerText();
  console.log(`  wrong secret: ${credentialError}`);
  check(/credentials were refused/.test(credentialError) && !credentialError.includes('<?xml'), 'the message is one line about the credentials');
  await shot('connections-wrong-secret.png');

  await tid('conn-edit').click();
  await tid('conn-secret-secret_access_key').fill(creds.secret);
  await tid('conn-url').fill('s3://no-such-bucket');
  await tid('conn-save').click();
  await tid('conn-test').click();
  await eventually('a missing bucket fails the test', async () => (await tid('conn-test-result').getAttribute('data-ok')) === 'false');
  const bucketError = await tid('conn-test-result').innerText();
  console.log(`  missing bucket: ${bucketError}`);
  check(/bucket or container does not exist/.test(bucketError), 'the message is about the bucket');
  await eventually('the browser shows the same fault', async () => (await tid('store-error').innerText()).length > 0);

  await tid('conn-edit').click();
  await tid('conn-url').fill('s3://lake/raw');
  await tid('conn-save').click();
  stopMoto();
  await new Promise((r) => moto.once('exit', r));
  await tid('conn-test').click();
  await eventually('a stopped server fails the test', async () => (await tid('conn-test-result').getAttribute('data-ok')) === 'false', 60_000);
  const downError = await tid('conn-test-result').innerText();
  console.log(`  server down: ${downError}`);
  check(/cannot reach the server/.test(downError), 'the message says the server cannot be reached');

  // ----- an HTTP connection: no listing, files opened by their path --------------------------------
  await tid('conn-add').click();
  await tid('conn-kind').selectOption('http');
  check((await tid('conn-secrets').count()) === 0, 'an HTTP connection has no secrets');
  await tid('conn-name').fill('web');
  await tid('conn-url').fill(`${httpBase}/data`);
  await tid('conn-save').click();
  await eventually('the HTTP connection is selected', async () => (await tid('conn-title').innerText()) === 'web');
  await tid('store-path').fill('penguins.csv');
  await tid('store-path-open').click();
  await eventually('the HTTP file previews', async () => (await tid('preview-count').innerText()).includes('344'), 30_000);
  await tid('conn-test').click();
  await tid('conn-test-result').waitFor();
  console.log(`  HTTP test: ok=${await tid('conn-test-result').getAttribute('data-ok')}: ${await tid('conn-test-result').innerText()}`);

  await tid('theme-toggle').click();
  await shot('connections-dark.png');
  await tid('theme-toggle').click();

  // ----- a server connection: settings and token status, no browser ---------------------------------
  await tid('conn-add').click();
  await tid('conn-kind').selectOption('mlflow');
  await tid('conn-name').fill('tracking');
  await tid('conn-url').fill('http://127.0.0.1:5000');
  await tid('conn-username').fill('ada');
  await tid('conn-secret-token').fill('mlflow-token-123');
  await tid('conn-save').click();
  await eventually('the MLflow connection shows its server view: a server that is not running is a message, not a hang', async () => (await tid('mlflow-remote-error').count()) > 0 && (await tid('mlflow-remote-error').innerText()).length > 0, 30_000);
  console.log(`  MLflow server down: ${await tid('mlflow-remote-error').innerText()}`);
  check((await tid('conn-secrets-tracking').innerText()).includes('secrets: file'), 'its token is stored in the file');
  check((await tid('conn-test').count()) === 0 && (await tid('store-browser').count()) === 0, 'a server connection has no store browser');
  check(!readFileSync(join(demo, 'assay.toml'), 'utf8').includes('mlflow-token-123'), 'the token is not in assay.toml');
  await tid('conn-edit').click();
  await tid('conn-forget-token').click();
  await tid('conn-save').click();
  await eventually('a forgotten token is gone', async () => (await tid('conn-secrets-tracking').innerText()).includes('secrets: none'));
  await tid('conn-edit').click();
  await tid('conn-remove').click();
  await tid('conn-remove-yes').click();
  await eventually('the unused connection is removed', async () => (await tid('conn-item-tracking').count()) === 0);

  // ----- another Assay server: saved with its token, opened in this window ----------------------------
  await tid('conn-add').click();
  await tid('conn-kind').selectOption('assay');
  await tid('conn-name').fill('team');
  await tid('conn-url').fill(server.url);
  await tid('conn-save').click();
  await eventually('the Assay connection shows its server view', async () => (await tid('conn-server').innerText()).includes(server.url));
  await tid('conn-open-server').click();
  check((await tid('assay-server-url').inputValue()) === server.url, 'the connect dialog starts at the saved URL');
  await tid('assay-server-test').click();
  await eventually('the saved server answers the test', async () => (await tid('assay-server-check').innerText()).startsWith('Connected: Assay'));
  await shot('connections-assay-server.png');
  await page.keyboard.press('Escape');

  check(pageErrors.length === 0, `no page errors (${pageErrors.join('; ')})`);
} catch (e) {
  await shot('connections-failure.png').catch(() => undefined);
  if (motoLog) console.error(`moto log (tail):\n${motoLog.split("\n").slice(-15).join("\n")}`);
  throw e;
} finally {
  await browser.close();
  server.stop();
  stopMoto();
  httpFiles.close();
}
console.log('connections end-to-end: all checks passed');
