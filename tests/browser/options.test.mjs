// Issue 15 item 2: every setting of a spec can be made in the page. A spec written by
// hand with every section and key (input, columns with a type and a date order, profile,
// checks with per-column thresholds, gated metrics, band and group size, bias with every
// option, dataset, correlations, reference shares, privacy, the DP summary with its
// releases), resolved by `privaudit spec`, must equal the spec the page downloads after the
// same choices are made with its controls — character for character.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as h from './harness.mjs';

const CLI = process.env.PRIVAUDIT_BIN || join(h.ROOT, 'target', 'debug', 'privaudit');

function dataCsv() {
  const rows = ['id,applied,gender,race,age,income,weight,model_score,outcome,notes'];
  const races = ['White', 'Black', 'Asian', 'Hispanic'];
  for (let i = 0; i < 400; i += 1) {
    // Day and month both at most 12: ambiguous, read month first unless told otherwise.
    const applied = `${String(1 + (i % 12)).padStart(2, '0')}/${String(1 + ((i * 5) % 12)).padStart(2, '0')}/2024`;
    rows.push([`r${i}`, applied, i % 2 ? 'Female' : 'Male', races[i % 4], 20 + (i % 40), i % 17 ? 20000 + i * 13 : 'unknown',
      (0.5 + (i % 3) / 2).toFixed(1), ((i * 37) % 100 / 100).toFixed(2), (i * 7) % 3 === 0 ? 1 : 0, `note ${i}`].join(','));
  }
  return `${rows.join('\n')}\n`;
}

const CHOICES = `[input]
thousands = ","
missing_tokens = ["", "NA", "unknown"]
date_order = "mdy"
max_field_bytes = 1000000

[[columns]]
name = "applied"
date_order = "dmy"

[[columns]]
name = "gender"
role = "protected"

[[columns]]
name = "race"
role = "protected"

[[columns]]
name = "age"
type = "float"

[profile]
top_k = 5
quantile_values_in_memory = 100000
quantile_passes = true
as_of = "2024-06-30"
show_sensitive_values = true

[checks.missing_share]
threshold = 0.2
severity = "fail"
columns = { income = 0.4 }

[checks.disparity_ratio]
threshold = 0.75
metric = ["selection_rate", "false_positive_rate"]
band = "symmetric"
min_group_size = 20

[checks.group_missing_gap]
min_group_size = 25

[bias]
label = "outcome"
positive_label = "1"
score = "model_score"
threshold = 0.5
score_direction = ">"
positive_is_favourable = false
reference = "best_rate"
reference_group = "White"
min_group_size = 20
ll144_exclude_below_share = 0.05
intersections = false
proxy_threshold = 0.4
weight = "weight"

[dataset]
max_distinct_rows = 100000

[correlations]
enabled = true
max_numeric_columns = 10
max_categorical_columns = 12
max_levels = 30
spearman_rows = 5000

[representativeness.race]
White = 0.6
Black = 0.13

[privacy]
detect = false

[dp]
epsilon = 0.5
person_column = "id"
max_rows_per_person = 2
min_noisy_count = 5
alpha = 0.1
include_sha256 = true
dataset = "Loans 2024"

[[dp.queries]]
kind = "count"

[[dp.queries]]
kind = "histogram"
column = "race"
keys = ["White", "Black", "Asian", "Hispanic"]

[[dp.queries]]
kind = "mean"
column = "income"
lower = 0.0
upper = 100000.0
decimals = 2

[[dp.queries]]
kind = "quantiles"
column = "income"
lower = 0.0
upper = 100000.0
bins = 20
probabilities = [0.5, 0.9]

[[dp.queries]]
kind = "fairness"
weight = 2
keys = ["Female", "Male"]
protected = "gender"
reference_group = "Male"
`;

let server;

before(async () => {
  h.requireBuilt('pkg');
  assert.ok(existsSync(CLI), `the CLI binary is missing at ${CLI}: run cargo build`);
  server = await h.startServer(h.WWW);
});

after(async () => {
  h.removeTempFiles();
  if (server) await server.close();
});

async function openPanel(page, id) {
  if (!(await page.locator(`#${id}`).evaluate((el) => el.open))) await page.locator(`#${id} > summary`).click();
}

/** Fills a field and fires its change event, then waits for the preview to settle. */
async function fill(page, selector, value) {
  await page.locator(selector).fill(String(value));
  await page.locator(selector).dispatchEvent('change');
  await settle(page);
}

async function select(page, selector, value) {
  await page.locator(selector).selectOption(value);
  await settle(page);
}

async function settle(page) {
  await page.waitForFunction(() => !document.querySelector('#run-button').disabled);
}

test('every setting of a spec file can be made in the page: its spec equals the CLI\'s', async () => {
  const data = h.tempFile('loans.csv', dataCsv());
  const choices = h.tempFile('choices.toml', CHOICES);
  const fromCli = execFileSync(CLI, ['spec', data, '--spec', choices], { encoding: 'utf8' });
  const browser = await h.launch();
  const { page, log } = browser;
  try {
    await page.goto(`${server.origin}/index.html`);
    await page.locator('#file-input').setInputFiles(data);
    const columns = await h.previewColumns(page);
    const col = (name) => columns.indexOf(name);
    // Reading the file and the profile ("More settings").
    await openPanel(page, 'options-panel');
    await select(page, '#opt-input-thousands', '","');
    await fill(page, '#opt-input-missing_tokens', 'NA, unknown');
    await select(page, '#opt-input-date_order', '"mdy"');
    await fill(page, '#opt-input-max_field_bytes', 1000000);
    await fill(page, '#opt-profile-top_k', 5);
    await fill(page, '#opt-profile-quantile_values_in_memory', 100000);
    await page.locator('#quantile-passes').check();
    await fill(page, '#opt-profile-as_of', '2024-06-30');
    await page.locator('#opt-profile-show_sensitive_values').check();
    await settle(page);
    await fill(page, '#opt-dataset-max_distinct_rows', 100000);
    await select(page, '#opt-correlations-enabled', 'true');
    await fill(page, '#opt-correlations-max_numeric_columns', 10);
    await fill(page, '#opt-correlations-max_categorical_columns', 12);
    await fill(page, '#opt-correlations-max_levels', 30);
    await fill(page, '#opt-correlations-spearman_rows', 5000);
    await page.locator('#privacy-detect').uncheck();
    // Columns: a date order, a type, two roles.
    await select(page, `#date-order-${col('applied')}`, 'dmy');
    await select(page, `#type-${col('age')}`, 'float');
    await select(page, `#role-${col('gender')}`, 'protected');
    await select(page, `#role-${col('race')}`, 'protected');
    // Reference shares of a protected column.
    await page.locator('#opt-representativeness label', { hasText: 'race = White' }).locator('input').fill('0.6');
    await page.locator('#opt-representativeness label', { hasText: 'race = White' }).locator('input').dispatchEvent('change');
    await settle(page);
    await page.locator('#opt-representativeness label', { hasText: 'race = Black' }).locator('input').fill('0.13');
    await page.locator('#opt-representativeness label', { hasText: 'race = Black' }).locator('input').dispatchEvent('change');
    await settle(page);
    // Checks: threshold, severity, a per-column threshold, gated metrics, band, group sizes.
    await openPanel(page, 'checks-panel');
    await fill(page, '#check-threshold-missing_share', 0.2);
    await select(page, '#check-severity-missing_share', 'fail');
    await page.locator('#check-column-missing_share').selectOption('income');
    await page.locator('#check-column-threshold-missing_share').fill('0.4');
    await page.locator('#check-column-add-missing_share').click();
    await page.waitForFunction(() => /income: 0\.4/.test(document.querySelector('#checks-body').textContent));
    await settle(page);
    await fill(page, '#check-threshold-disparity_ratio', 0.75);
    await page.locator('#check-metric-disparity_ratio-selection_rate').check();
    await settle(page);
    await page.locator('#check-metric-disparity_ratio-false_positive_rate').check();
    await settle(page);
    await select(page, '#check-band-disparity_ratio', 'symmetric');
    await fill(page, '#check-group-size-disparity_ratio', 20);
    await fill(page, '#check-group-size-group_missing_gap', 25);
    // The bias audit, every option.
    await openPanel(page, 'bias-panel');
    await page.locator('#bias-enabled').check();
    await page.locator('#bias-label').selectOption('outcome');
    await fill(page, '#bias-positive-label', '1');
    await page.locator('#bias-decision-kind').selectOption('score');
    await page.locator('#bias-score').selectOption('model_score');
    await fill(page, '#bias-threshold', 0.5);
    await page.locator('#bias-direction').selectOption('>');
    await page.locator('#bias-favourable').uncheck();
    await page.locator('#bias-reference').selectOption('best_rate');
    await fill(page, '#bias-reference-group', 'White');
    await fill(page, '#bias-min-group', 20);
    await page.locator('#bias-ll144').check();
    await fill(page, '#bias-ll144-share', 0.05);
    await page.locator('#bias-intersections').uncheck();
    await fill(page, '#bias-proxy-threshold', 0.4);
    await page.locator('#bias-weight').selectOption('weight');
    // The DP summary: budget, the person column, suppression, α, hash, description, five releases (one weighted).
    await openPanel(page, 'dp-panel');
    await fill(page, '#dp-epsilon-number', 0.5);
    await select(page, '#dp-person', 'id');
    await fill(page, '#dp-max-rows', 2);
    await fill(page, '#dp-min-count', 5);
    await fill(page, '#opt-dp-alpha', 0.1);
    await fill(page, '#opt-dp-dataset', 'Loans 2024');
    await page.locator('#dp-include-sha').check();
    const add = async (kind, fields) => {
      const before = await page.locator('#dp-body tr').count();
      await page.locator('#dp-kind').selectOption(kind);
      await page.locator('#dp-column').selectOption(fields.column);
      for (const [id, value] of Object.entries(fields)) if (id !== 'column') await page.locator(`#dp-${id}`).fill(String(value));
      await page.locator('#dp-add-button').click();
      await page.waitForFunction((n) => document.querySelectorAll('#dp-body tr').length === n + 1
        || document.querySelector('#dp-add-error').textContent.trim() !== '', before);
      assert.equal(await page.locator('#dp-add-error').textContent(), '', `adding the ${kind} release`);
    };
    await add('histogram', { column: 'race', keys: 'White, Black, Asian, Hispanic' });
    await add('mean', { column: 'income', lower: 0, upper: 100000, decimals: 2 });
    await add('quantiles', { column: 'income', lower: 0, upper: 100000, bins: 20, probabilities: '0.5, 0.9' });
    await add('fairness', { column: 'gender', keys: 'Female, Male', reference: 'Male' });
    await fill(page, '#dp-weight-4', 2);

    const fromPage = (await h.downloadText(page, 'Download spec (TOML)')).text;
    assert.equal(fromPage, fromCli);
    for (const url of log.requests) assert.ok(h.isAppFile(url, server.origin) || /^(blob|data):/.test(url), `unexpected request ${url}`);
    assert.deepEqual(log.errors, []);
  } finally {
    await browser.close();
  }
});
