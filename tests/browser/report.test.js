// The HTML report in a real browser: Debian's Chromium, headless, driven by playwright-core.
//
// Usage: node report.test.js DIR — DIR holds, for each example plan NAME, NAME.html (the HTML
// report) and NAME.json (the JSON report of the same run); plus hostile.html (ids that would
// inject script if unescaped) and large.html/large.json (a plan past the deployments table's
// limit). scripts/browser-test.sh makes them. Every check prints a line; any failure exits 1.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const dir = path.resolve(process.argv[2] || 'out');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
let failures = 0;
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) { failures++; }
}

async function open(context, file) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') { problems.push(m.text()); } });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('dialog', async (d) => { problems.push('dialog: ' + d.message()); await d.dismiss(); });
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) { problems.push('request: ' + r.url()); } });
  await page.goto('file://' + path.join(dir, file));
  return { page, problems };
}

const count = (page, verdict) =>
  page.$eval(`#totals tr[data-count="${verdict}"] td.n`, (td) => Number(td.textContent));
const visibleRows = (page) =>
  page.$$eval('#deployment-rows tr', (rows) => rows.filter((r) => !r.hidden).length);

async function example(context, name) {
  const json = JSON.parse(fs.readFileSync(path.join(dir, name + '.json'), 'utf8'));
  const { page, problems } = await open(context, name + '.html');
  for (const v of ['allowed', 'violated', 'advisory', 'waived', 'known', 'errors']) {
    const shown = await count(page, v === 'errors' ? 'error' : v);
    check(shown === (json.summary[v] || 0), `${name}: ${v} shown ${shown}, JSON summary ${json.summary[v] || 0}`);
  }
  const total = await count(page, 'deployments');
  check(total === json.summary.deployments, `${name}: ${total} deployments shown, JSON ${json.summary.deployments}`);
  const verdict = await page.$eval('#run-verdict strong', (s) => s.textContent);
  check(verdict === json.verdict, `${name}: run verdict ${verdict}, JSON ${json.verdict}`);
  check(await page.isVisible('#filters'), `${name}: the script ran (the filter form is shown; the CSP hash matches)`);
  const listed = json.deployments.length + json.errors.filter((e) => e.record).length;
  const all = await visibleRows(page);
  check(all === Math.min(listed, 100), `${name}: ${all} rows shown before filtering (of ${listed} records, 100 a page)`);
  await page.selectOption('select[name="verdict"]', 'violated');
  const violated = json.deployments.filter((d) => d.outcome === 'violated').length;
  const shownViolated = await visibleRows(page);
  check(shownViolated === violated, `${name}: verdict = violated shows ${shownViolated} rows, JSON has ${violated}`);
  await page.selectOption('select[name="verdict"]', '');
  // A clause filter: the first violated clause of the JSON report.
  const term = json.deployments.flatMap((d) => d.terms).find((t) => t.status === 'violated');
  if (term) {
    const clause = term.agreement + '.' + term.clause;
    await page.selectOption('select[name="clause"]', clause);
    const want = json.deployments.filter((d) =>
      d.terms.some((t) => t.status === 'violated' && t.agreement + '.' + t.clause === clause)).length;
    const got = await visibleRows(page);
    check(got === want, `${name}: clause = ${clause} shows ${got} rows, JSON has ${want}`);
    // Each violated term is one row of the violation, known, waived or advisory tables.
    const terms = json.deployments.flatMap((d) => d.terms)
      .filter((t) => t.status === 'violated' && t.agreement + '.' + t.clause === clause).length;
    const otherRows = await page.$$eval('tr[data-v]', (rows) =>
      rows.filter((r) => !r.hidden && r.parentNode.id !== 'deployment-rows').length);
    check(otherRows === terms, `${name}: clause = ${clause} leaves ${otherRows} violation rows, JSON has ${terms} violated terms`);
    await page.selectOption('select[name="clause"]', '');
  }
  check(problems.length === 0, `${name}: no console error, dialog or network request (${problems.join('; ') || 'none'})`);
  return page;
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'clausecheck-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ARGS,
  });
  try {
    const names = fs.readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'large.json')
      .map((f) => f.slice(0, -5)).sort();
    check(names.length > 0, `${names.length} example reports in ${dir}`);
    for (const name of names) {
      const page = await example(context, name);
      if (name === 'worked-examples.yaml') {
        await page.fill('input[name="q"]', 'bedrock');
        const rows = await visibleRows(page);
        check(rows === 2, `${name}: searching "bedrock" shows ${rows} rows (frontier-bedrock, declined-bedrock)`);
        await page.fill('input[name="q"]', '');
        await page.selectOption('select[name="f-cloud"]', 'aws');
        const aws = await visibleRows(page);
        check(aws === 3, `${name}: cloud = aws shows ${aws} rows`);
        await page.selectOption('select[name="f-cloud"]', '');
        const shot = path.join(dir, 'worked-examples.png');
        await page.screenshot({ path: shot, fullPage: true });
        const size = fs.statSync(shot).size;
        check(size > 10 * 1024, `screenshot ${shot}: ${size} bytes (more than 10 KB)`);
      }
      await page.close();
    }

    // Ids that would be markup: shown as text, nothing runs.
    {
      const { page, problems } = await open(context, 'hostile.html');
      const ids = await page.$$eval('#deployment-rows th', (ths) => ths.map((t) => t.textContent));
      check(ids.includes('<script>alert(1)</script>'), 'hostile: the id <script>alert(1)</script> is shown as text');
      check(ids.includes('"><img src=x onerror=alert(2)>'), 'hostile: the id "><img onerror=…> is shown as text');
      const injected = await page.$$eval('img', (imgs) => imgs.filter((i) => !i.classList.contains('timeline')).length);
      check(injected === 0, `hostile: no injected <img> (${injected})`);
      const scripts = await page.$$eval('script', (s) => s.length);
      check(scripts === 1, `hostile: one <script> element, the report's own (${scripts})`);
      check(problems.length === 0, `hostile: no dialog, error or request (${problems.join('; ') || 'none'})`);
      await page.close();
    }

    // Past the deployments table's limit: pages of 100, the rest counted.
    {
      const json = JSON.parse(fs.readFileSync(path.join(dir, 'large.json'), 'utf8'));
      const { page, problems } = await open(context, 'large.html');
      const rows = await page.$$eval('#deployment-rows tr', (r) => r.length);
      check(rows === 10000, `large: ${json.summary.deployments} deployments, ${rows} listed in the table`);
      check(await visibleRows(page) === 100, 'large: 100 rows a page');
      const status1 = await page.textContent('#matching');
      await page.click('#next');
      const status2 = await page.textContent('#matching');
      check(/showing 101–200 of 10000/.test(status2), `large: next page: "${status2.trim()}" (was "${status1.trim()}")`);
      check(await page.isVisible('#unlisted-table'), 'large: records past the limit are counted by field value');
      const violations = await page.$$eval('details[data-group] tr[data-v]', (r) => r.length);
      const want = json.deployments.flatMap((d) => d.terms).filter((t) => t.status === 'violated' && (t.disposition || 'mandatory') === 'mandatory').length;
      check(violations === want, `large: every failing violation is listed (${violations}, JSON ${want})`);
      const t0 = Date.now();
      await page.selectOption('select[name="verdict"]', 'violated');
      const ms = Date.now() - t0;
      check(ms < 5000, `large: filtering ${json.summary.deployments} records' rows took ${ms} ms`);
      check(problems.length === 0, `large: no console error (${problems.join('; ') || 'none'})`);
      await page.close();
    }

  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  // Without script: every row shown, the filter form hidden, the violation groups there.
  const profile2 = fs.mkdtempSync(path.join(os.tmpdir(), 'clausecheck-chromium-'));
  const plain = await chromium.launchPersistentContext(profile2, {
    executablePath, headless: true, javaScriptEnabled: false, args: ARGS,
  });
  try {
    const { page } = await open(plain, 'worked-examples.yaml.html');
    check(!(await page.isVisible('#filters')), 'without script: the filter form stays hidden');
    check(await visibleRows(page) === 8, 'without script: all 8 deployments are shown');
    const groups = await page.$$eval('details[data-group]', (d) => d.filter((g) => !g.hidden).length);
    check(groups === 3, `without script: the 3 violated clauses are shown (${groups})`);
  } finally {
    await plain.close();
    fs.rmSync(profile2, { recursive: true, force: true });
  }
  console.log(failures === 0 ? 'browser test: all checks passed' : `browser test: ${failures} checks failed`);
  process.exit(failures === 0 ? 0 : 1);
})().catch((e) => { console.error(e); process.exit(1); });
