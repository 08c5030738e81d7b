/*
 * report.test.js - the HTML report in a real browser (headless Chromium
 * driven by playwright-core). Run by tests/browser/run.sh:
 *
 *   node report.test.js DEPCHECK GEN_CATALOG TESTDATA ARTIFACTS
 *
 * For the example catalog: clicking a service highlights exactly the
 * services `depcheck simulate --fail X -f json` puts DOWN and DEGRADED;
 * search, a table row, fail-several (checked against simulate with both
 * failures), pan/zoom and pagination work. With --load: the load section
 * first, agreeing with simulate --load, its map moved in with ids of its
 * own, clickable. For a catalog of hostile names:
 * every name renders as text, no alert, no injected element. For the
 * hostile corpus (testdata/hostile) and a canary catalog: every node, link
 * and row clicked, no script runs, no link but http(s) is followed, the
 * page never navigates. For 2,000
 * generated services: the map is collapsed by system, the file stays
 * under 10 MB. Everywhere: no console error, no page error, no dialog.
 * Screenshots go to ARTIFACTS.
 */
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const { chromium } = require('playwright-core');

const [depcheck, gen, testdata, artifacts] = process.argv.slice(2);
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
fs.mkdirSync(artifacts, { recursive: true });

function run(args, opts) {
  return execFileSync(depcheck, args, Object.assign({ encoding: 'utf8', maxBuffer: 1 << 28 }, opts || {}));
}
function report(inputs, out, extra) {
  run(['report'].concat(inputs, ['-o', out], extra || []));
  return out;
}
function simulate(catalog, names) {
  const args = ['simulate', catalog, '-f', 'json'];
  names.forEach((n) => args.push('--fail', n));
  const j = JSON.parse(run(args));
  return { down: j.down.map((e) => e.service), degraded: j.degraded.map((e) => e.service) };
}
const sorted = (a) => a.slice().sort();
/* -f json of a gate that fails on the example (exit 1): its output */
function gate(args) {
  try { run(args); } catch (e) { if (e.status === 1) return JSON.parse(e.stdout); throw e; }
  throw new Error('depcheck ' + args.join(' ') + ': expected exit 1');
}

let checks = 0;
function eq(a, b, what) { assert.deepStrictEqual(a, b, what); checks++; }
function ok(v, what) { assert.ok(v, what); checks++; }

async function open(browser, file, name) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(name + ': console ' + m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => problems.push(name + ': page error: ' + e.message));
  page.on('dialog', (d) => { problems.push(name + ': dialog fired: ' + d.message()); d.dismiss().catch(() => {}); });
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(name + ': network request ' + r.url()); });
  await page.goto('file://' + path.resolve(file));
  await page.waitForFunction(() => window.depcheckReport);
  return { page, problems };
}

/* ids of the map nodes carrying a class */
function classed(page, cls) {
  return page.evaluate((c) => Array.from(document.querySelectorAll('#map-svg g.node.' + c)).map((g) => g.id), cls);
}
async function idsOf(page, names) {
  const ids = await page.evaluate((ns) => {
    const S = window.depcheckReport.data.services;
    return ns.map((n) => S.findIndex((s) => s.n === n));
  }, names);
  ids.forEach((id, k) => ok(id >= 0, 'service ' + names[k] + ' in the data'));
  return ids;
}
async function svcIds(page, names) { return sorted((await idsOf(page, names)).map((i) => 'svc-' + i)); }
async function cardTitle(page) { return page.evaluate(() => { const h = document.querySelector('#card h2'); return h ? h.textContent : null; }); }
/* 1 when the node's box lies inside the visible map */
function inView(page, id) {
  return page.evaluate((i) => {
    const n = document.getElementById(i).getBoundingClientRect(), m = document.getElementById('map').getBoundingClientRect();
    return n.width > 0 && n.left >= m.left - 1 && n.right <= m.right + 1 && n.top >= m.top - 1 && n.bottom <= m.bottom + 1;
  }, id);
}
const viewBox = (page) => page.evaluate(() => document.getElementById('map-svg').getAttribute('viewBox').split(' ').map(Number));

async function example(browser) {
  const catalog = path.join(testdata, 'catalogs/streaming/catalog.yaml');
  const file = report([catalog], path.join(artifacts, 'streaming.html'));
  const { page, problems } = await open(browser, file, 'streaming');
  await page.screenshot({ path: path.join(artifacts, 'streaming-overview.png') });

  // header summary
  const summary = await page.evaluate(() => Array.from(document.querySelectorAll('#summary .stat')).map((s) => s.textContent));
  ok(summary.includes('Services47') && summary.includes('Entrypoints4'), 'summary: ' + summary.join(' '));

  // the first screen: the top risks (biggest single-failure cascades, as
  // the Services table counts them) and a map whose labels can be read
  const risks = await page.evaluate(() => Array.from(document.querySelectorAll('#card table.risks tr')).map((tr) =>
    Array.from(tr.querySelectorAll('td')).map((td) => td.firstChild.textContent)));
  ok(risks.length === 5, 'five top risks: ' + JSON.stringify(risks));
  const blastAll = JSON.parse(run(['analyze', catalog, '-f', 'json'])).blast_radius;
  const worst = Math.max.apply(null, blastAll.map((b) => b.down));
  eq(+risks[0][1], worst, 'the first risk takes down the most others');
  ok(await page.evaluate(() => { const r = document.querySelector('#card table.risks').getBoundingClientRect(); return r.bottom < window.innerHeight; }),
    'the top risks are on the first screen');
  const scale = await page.evaluate(() => { const s = document.getElementById('map-svg'); return s.getBoundingClientRect().width / s.viewBox.baseVal.width; });
  ok(scale >= 0.95, 'the map opens at a readable scale (>= 1 px a unit: 10 px labels): ' + scale);
  // the header counts what the cycles table lists
  const cycHead = summary.find((x) => x.startsWith('Cycles'));
  const cycRows = await page.evaluate(() => { const t = document.getElementById('tbl-cycles'); return t ? t.querySelectorAll('tr').length - 1 : -1; });
  eq(cycHead, 'Cycles' + cycRows + ' (1 hard)', 'cycles: the header counts the table\'s rows');

  // click a service node: exactly simulate's DOWN / DEGRADED sets
  for (const svc of ['discovery', 'storage-eu', 'auth', 'monitoring']) {
    const [id] = await idsOf(page, [svc]);
    await page.click('#zoom-fit');
    await page.click('#svc-' + id, { force: true });
    const sim = simulate(catalog, [svc]);
    eq(await classed(page, 'seed'), ['svc-' + id], svc + ': the failed service');
    eq(sorted(await classed(page, 'down')), await svcIds(page, sim.down.filter((n) => n !== svc)), svc + ': DOWN nodes');
    eq(sorted(await classed(page, 'degraded')), await svcIds(page, sim.degraded), svc + ': DEGRADED nodes');
    eq(await cardTitle(page), svc, svc + ': card');
    // the card's count and its list count the same services (others, not the failed one)
    const nums = await page.evaluate(() => [document.querySelector('#card .counts .num.down').textContent,
      (/Goes DOWN \((\d+)\)/.exec(document.getElementById('card').textContent) || [0, '0'])[1]]);
    eq(+nums[0], sim.down.filter((n) => n !== svc).length, svc + ': card counts the others DOWN');
    eq(nums[1], nums[0], svc + ': "Goes DOWN (N)" lists as many as the count');
    if (svc === 'discovery') await page.screenshot({ path: path.join(artifacts, 'streaming-discovery.png') });
    if (svc === 'storage-eu') await page.screenshot({ path: path.join(artifacts, 'streaming-storage-eu.png') });
  }
  // edges carrying the failure are coloured too
  ok((await page.evaluate(() => document.querySelectorAll('#map-svg g.edge.down, #map-svg g.edge.degraded').length)) > 0, 'edges highlighted');

  // zoom buttons, wheel, fit
  await page.click('#zoom-fit');
  const vb0 = await viewBox(page);
  await page.click('#zoom-in');
  const vb1 = await viewBox(page);
  ok(vb1[2] < vb0[2], 'zoom in narrows the view');
  await page.mouse.move(500, 500);
  await page.mouse.wheel(0, 400);
  const vb2 = await viewBox(page);
  ok(vb2[2] > vb1[2], 'wheel down zooms out');
  await page.mouse.move(400, 450);
  await page.mouse.down();
  await page.mouse.move(300, 400, { steps: 4 });
  await page.mouse.up();
  const vb3 = await viewBox(page);
  ok(vb3[0] > vb2[0] && vb3[2] === vb2[2], 'drag pans');
  await page.click('#zoom-fit');
  eq(await viewBox(page), vb0, 'fit restores the whole map');

  // search: type, Enter, the map focuses the node
  await page.fill('#search', 'playl');
  const hits = await page.evaluate(() => Array.from(document.querySelectorAll('#search-results li')).map((l) => l.firstChild.textContent));
  ok(hits[0] === 'playlist', 'search suggests playlist: ' + hits.join(','));
  await page.press('#search', 'Enter');
  eq(await cardTitle(page), 'playlist', 'search opens the card');
  const [pl] = await idsOf(page, ['playlist']);
  ok(await inView(page, 'svc-' + pl), 'search focuses the map on the node');
  ok((await viewBox(page))[2] < vb0[2], 'search zooms in');
  await page.screenshot({ path: path.join(artifacts, 'streaming-search.png') });

  // a table row: filter the services table, click the row, the map focuses
  await page.click('#zoom-fit');
  await page.fill('#tbl-blast .filter', 'payments-db');
  await page.click('#tbl-blast tbody tr.clickable >> nth=0');
  eq(await cardTitle(page), 'payments-db', 'row click opens the card');
  const [pdb] = await idsOf(page, ['payments-db']);
  ok(await inView(page, 'svc-' + pdb), 'row click focuses the map on the node');
  eq(await classed(page, 'seed'), ['svc-' + pdb], 'row click highlights the cascade');

  // pagination of the services table (47 rows, 25 per page)
  await page.evaluate(() => document.getElementById('sec-services').scrollIntoView());
  eq(await page.locator('#tbl-services tbody tr').count(), 25, 'first page');
  await page.click('#tbl-services .pager button:has-text("Next")');
  eq(await page.locator('#tbl-services tbody tr').count(), 22, 'second page');
  await page.screenshot({ path: path.join(artifacts, 'streaming-tables.png') });
  ok((await page.locator('#sec-findings').count()) === 1 && (await page.locator('#sec-plan').count()) === 1, 'findings and plan sections');
  // the check section: the built-in policy's violations, as depcheck check -f json lists them
  const chk = gate(['check', catalog, '-f', 'json']);
  eq(await page.locator('#tbl-violations tbody tr').count(), chk.violations.length, 'check section: one row per violation');
  eq(await page.textContent('#tbl-violations h3 .count'), String(chk.violations.length), 'check section count');
  eq(await page.locator('#sec-availability').count(), 0, 'no availability section unless asked');

  // fail several: union of single failures; compare with simulate of both
  await page.click('#clear');
  await page.evaluate(() => document.getElementById('explore').scrollIntoView());
  await page.check('#multi');
  const pair = ['storage-eu', 'storage-us'];
  const pairIds = await idsOf(page, pair);
  await page.click('#zoom-fit');
  for (const id of pairIds) await page.click('#svc-' + id, { force: true });
  eq(sorted(await classed(page, 'seed')), sorted(pairIds.map((i) => 'svc-' + i)), 'both failed');
  const s0 = simulate(catalog, [pair[0]]), s1 = simulate(catalog, [pair[1]]), both = simulate(catalog, pair);
  const unionDown = new Set(s0.down.concat(s1.down).filter((n) => !pair.includes(n)));
  const unionAff = new Set(s0.down.concat(s1.down, s0.degraded, s1.degraded).filter((n) => !pair.includes(n)));
  const shownDown = await classed(page, 'down'), shownDeg = await classed(page, 'degraded');
  eq(sorted(shownDown), await svcIds(page, Array.from(unionDown)), 'fail several: DOWN is the union of single failures');
  eq(sorted(shownDown.concat(shownDeg)), await svcIds(page, Array.from(unionAff)), 'fail several: affected is the union');
  // what the note claims: affected exact, shown DOWN a subset of the real DOWN
  eq(sorted(shownDown.concat(shownDeg)), await svcIds(page, both.down.concat(both.degraded).filter((n) => !pair.includes(n))), 'affected set is exact');
  const bothDown = new Set(await svcIds(page, both.down));
  ok(shownDown.every((i) => bothDown.has(i)), 'shown DOWN is DOWN');
  const note = await page.textContent('#card .exact');
  ok(/lower bound/.test(note) && /--fail storage-eu --fail storage-us/.test(note), 'the note says what is exact');
  await page.screenshot({ path: path.join(artifacts, 'streaming-fail-several.png') });
  await page.uncheck('#multi');

  eq(problems, [], 'no console errors, page errors, dialogs or network');
  await page.close();
}

/* --policy and --availability: both sections, their row counts as the
 * command line has them, and a row click focusing the map */
async function sections(browser) {
  const catalog = path.join(testdata, 'catalogs/streaming/catalog.yaml');
  const policy = path.join(testdata, 'policy/availability.yaml');
  const file = report([catalog], path.join(artifacts, 'streaming-sections.html'),
    ['--policy', policy, '--availability', '--trials', '20000']);
  const { page, problems } = await open(browser, file, 'sections');
  const chk = gate(['check', catalog, '--policy', policy, '-f', 'json']);
  const av = gate(['availability', catalog, '--trials', '20000', '-f', 'json']);
  eq(await page.locator('#tbl-violations tbody tr').count(), chk.violations.length, 'one row per violation');
  eq(await page.textContent('#tbl-violations h3 .count'), String(chk.violations.length), 'violations count');
  eq(await page.locator('#tbl-violations tbody td.text:has-text("min-availability")').count(), 3, 'three entrypoints below their slo');
  eq(await page.textContent('#tbl-availability h3 .count'), String(av.availability.length), 'availability: every service');
  eq(await page.locator('#tbl-availability tbody tr').count(), 25, 'availability: paginated');
  const firstRows = await page.evaluate((k) => Array.from(document.querySelectorAll('#tbl-availability tbody tr')).slice(0, k).map((tr) => tr.firstChild.textContent), av.slo_misses);
  eq(firstRows, av.availability.slice(0, av.slo_misses).map((r) => r.service), 'SLO misses first, in the order of depcheck availability');
  const intro = await page.textContent('#sec-availability .intro');
  ok(intro.includes(av.slo_misses + ' SLO misses'), 'intro counts the misses: ' + intro);
  const navs = await page.evaluate(() => Array.from(document.querySelectorAll('#nav a')).map((a) => a.textContent));
  ok(navs.includes('Policy check') && navs.includes('Availability'), 'nav links: ' + navs.join(','));
  // a row click opens the card and focuses the map, as in the other tables
  await page.click('#zoom-fit');
  await page.evaluate(() => document.getElementById('sec-availability').scrollIntoView());
  await page.click('#tbl-availability tbody tr.clickable >> nth=0');
  eq(await cardTitle(page), av.availability[0].service, 'availability row opens the card');
  const [first] = await idsOf(page, [av.availability[0].service]);
  ok(await inView(page, 'svc-' + first), 'availability row focuses the map');
  await page.click('#zoom-fit');
  await page.click('#tbl-violations tbody tr.clickable >> nth=0');
  eq(await cardTitle(page), chk.violations[0].service, 'violation row opens the card');
  await page.evaluate(() => document.getElementById('sec-check').scrollIntoView());
  await page.screenshot({ path: path.join(artifacts, 'streaming-check.png') });
  await page.evaluate(() => document.getElementById('sec-availability').scrollIntoView());
  await page.screenshot({ path: path.join(artifacts, 'streaming-availability.png') });
  eq(problems, [], 'no console errors, page errors, dialogs or network');
  await page.close();
}

async function hostile(browser) {
  const catalog = path.join(testdata, 'catalogs/hostile/catalog.yaml');
  const file = report([catalog], path.join(artifacts, 'hostile.html'));
  const { page, problems } = await open(browser, file, 'hostile');
  const names = (await page.evaluate(() => window.depcheckReport.data.services.map((s) => s.n)));
  ok(names.includes('<img src=x onerror=alert(1)>'), 'hostile name survives in the data');
  await page.click('#zoom-fit');
  for (let i = 0; i < names.length; i++) {
    await page.click('#zoom-fit');
    await page.click('#svc-' + i, { force: true });
    eq(await cardTitle(page), names[i], 'card shows the name as text');
  }
  await page.fill('#search', '<img');
  await page.press('#search', 'Enter');
  eq(await cardTitle(page), '<img src=x onerror=alert(1)>', 'search finds the hostile name');
  const injected = await page.evaluate(() => ({
    img: document.querySelectorAll('img').length,
    b: document.querySelectorAll('body b, body i').length,
    scripts: document.querySelectorAll('script').length,
    styles: document.querySelectorAll('style').length,
    svgs: document.querySelectorAll('svg svg').length,
    bodyShown: getComputedStyle(document.body).display !== 'none',
    owner: Array.from(document.querySelectorAll('#card dd')).map((d) => d.textContent),
    titles: Array.from(document.querySelectorAll('#map-svg g.node > title')).map((t) => t.textContent)
  }));
  eq(injected.img + injected.b + injected.svgs, 0, 'no injected elements');
  eq(injected.scripts, 2, 'only the data and the script');
  eq(injected.styles, 1, 'only the style sheet');
  ok(injected.bodyShown, 'no injected style');
  ok(injected.owner.includes('<svg onload=alert(3)>') && injected.owner.includes('<i>z</i>'), 'attributes as text: ' + injected.owner.join('|'));
  ok(injected.titles.includes('<img src=x onerror=alert(1)>') && injected.titles.includes('</script><script>alert(2)</script>'), 'SVG titles are the names');
  await page.evaluate(() => document.getElementById('sec-services').scrollIntoView());
  await page.click('#tbl-services tbody tr.clickable >> nth=0');
  await page.screenshot({ path: path.join(artifacts, 'hostile.png'), fullPage: true });
  await page.waitForTimeout(200);
  eq(problems, [], 'no alert, console error or page error');
  await page.close();
}

/* The hostile corpus (testdata/hostile) and a canary catalog whose every
 * payload would set window.__dcInjected: each report is opened, every map
 * node and every map link clicked (the first 60 of each in the cases that
 * are big rather than crafted), the first 25 rows of the services table. No
 * script may run (the canary stays undefined, alert/confirm/prompt are
 * never called, no dialog), no link but http(s) may be followed (the
 * report's own click handler must have prevented it), no page may open,
 * and the page never leaves the report. CSP violations (blocked inline
 * script or handlers) are recorded: each is a blocked attempt, never an
 * execution. */
async function hostileLinks(browser) {
  const canary = path.join(artifacts, 'canary.yaml');
  const P = 'window.__dcInjected=1';
  fs.writeFileSync(canary, [
    '# every payload sets window.__dcInjected',
    'depcheck: 1',
    'services:',
    '  - name: "<script>' + P + '</script>"',
    '    entrypoint: true',
    '    url: "javascript:' + P + '"',
    '    description: "<img src=x onerror=\'' + P + '\'>"',
    '    depends_on: [a, b, c, d, e, f, g]',
    '  - name: a',
    '    url: "JaVaScRiPt:' + P + '"',
    '    owner: "<svg onload=' + P + '>"',
    '  - name: b',
    '    url: "java&#x09;script:' + P + '"',
    '  - name: c',
    '    url: "&#106;avascript:' + P + '"',
    '  - name: d',
    '    url: "data:text/html,<script>' + P + '</script>"',
    '  - name: e',
    '    url: \'https://x.example/"><script>' + P + '</script><a href="\'',
    '  - name: f',
    '    url: "https://x.example/\' onmouseover=\'' + P + '\'"',
    '  - name: g',
    '    url: "&quot; onclick=&quot;' + P + '"',
    '  - name: "h\\" onmouseover=\\"' + P + '"',
    '    url: "vbscript:' + P + '"',
    ''
  ].join('\n'));
  const cases = [['canary', [canary]]];
  const dir = path.join(testdata, 'hostile');
  for (const c of fs.readdirSync(dir).sort()) {
    const cd = path.join(dir, c);
    if (!fs.statSync(cd).isDirectory()) continue;
    const expect = fs.readFileSync(path.join(cd, 'expect'), 'utf8').trim();
    if (expect === 'refuse' || expect === 'refuse-policy') continue;
    const inputs = fs.readdirSync(cd).filter((f) => !/^(expect|check-exit|policy\.yaml|README\.md|observed\..*)$/.test(f)).map((f) => path.join(cd, f));
    cases.push([c, inputs]);
  }
  ok(cases.length >= 6, 'hostile cases to click: ' + cases.length);
  for (const [name, inputs] of cases) {
    const file = report(inputs, path.join(artifacts, 'hostile-' + name + '.html'));
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const problems = [];
    let popups = 0, navigations = 0;
    page.on('pageerror', (e) => problems.push(name + ': page error: ' + e.message));
    page.on('dialog', (d) => { problems.push(name + ': dialog fired: ' + d.message()); d.dismiss().catch(() => {}); });
    page.on('popup', () => { popups++; });
    const url = 'file://' + path.resolve(file);
    // the report keeps its state in the fragment (#svc=N): that is not
    // leaving the page
    page.on('framenavigated', (f) => { if (f === page.mainFrame() && f.url().split('#')[0] !== url) navigations++; });
    await page.addInitScript(() => {
      window.__dcCalls = 0;
      window.__dcCsp = [];
      window.__dcFollowed = [];
      for (const f of ['alert', 'confirm', 'prompt', 'print', 'open']) window[f] = function () { window.__dcCalls++; };
      document.addEventListener('securitypolicyviolation', (e) => window.__dcCsp.push(e.effectiveDirective + ' ' + e.disposition));
      // last in the bubbling order: what the report's handler let through
      // is recorded, then cancelled so that the page stays
      window.addEventListener('click', (e) => {
        const a = e.target.closest ? e.target.closest('a') : null;
        if (!a) return;
        const raw = a.href && typeof a.href === 'object' ? a.href.baseVal : a.getAttribute('href');
        if (!e.defaultPrevented) {
          let p = 'unparsable';
          try { p = new URL(raw, document.baseURI).protocol; } catch (err) { /* recorded as unparsable */ }
          window.__dcFollowed.push(p + ' ' + raw);
        }
        e.preventDefault();
      });
    });
    await page.goto(url);
    await page.waitForFunction(() => window.depcheckReport);
    const before = navigations;
    const nodes = await page.evaluate(() => Array.from(document.querySelectorAll('#map-svg g.node')).map((g) => g.id));
    ok(nodes.length > 0, name + ': map nodes');
    // every node of the markup cases (a few dozen at most); the big cases
    // (retry-chain, retry-fan: sizes, not markup) only their first 60
    for (const id of nodes.slice(0, 60)) {
      await page.click('#zoom-fit');
      await page.hover('#' + id, { force: true });
      await page.click('#' + id, { force: true });
    }
    const links = Math.min(await page.locator('#map-svg a').count(), 60);
    for (let i = 0; i < links; i++) {
      await page.click('#zoom-fit');
      await page.locator('#map-svg a').nth(i).click({ force: true });
    }
    const rows = await page.locator('#tbl-services tbody tr.clickable').count();
    for (let i = 0; i < Math.min(rows, 25); i++) await page.locator('#tbl-services tbody tr.clickable').nth(i).click();
    await page.waitForTimeout(100);
    const st = await page.evaluate(() => ({
      injected: window.__dcInjected, calls: window.__dcCalls, csp: window.__dcCsp, followed: window.__dcFollowed,
      hrefs: Array.from(document.querySelectorAll('[href]')).map((e) => e.getAttribute('href'))
        .concat(Array.from(document.querySelectorAll('#map-svg a')).map((a) => a.getAttributeNS('http://www.w3.org/1999/xlink', 'href') || a.getAttribute('href') || '')),
      handlers: Array.from(document.querySelectorAll('*')).filter((e) => Array.from(e.attributes).some((a) => /^on/i.test(a.name))).length
    }));
    eq(st.injected, undefined, name + ': no injected script ran (canary unset)');
    eq(st.calls, 0, name + ': alert/confirm/prompt/print/open never called');
    eq(st.handlers, 0, name + ': no on* attribute in the page');
    eq(st.followed.filter((f) => !/^https?: /.test(f)), [], name + ': only http(s) links may be followed');
    // the recorder works: the canary's https links (with their quotes
    // percent-encoded) are followed, its script links are not there
    if (name === 'canary') {
      ok(links >= 2 && st.followed.some((f) => /^https: https:\/\/x\.example\//.test(f)), 'canary: https links followed: ' + st.followed.join(' | '));
    }
    eq(st.hrefs.filter((h) => /^\s*(javascript|vbscript|data):/i.test(h.replace(/[\t\r\n]/g, ''))), [], name + ': no script link');
    st.csp.forEach((v) => ok(/ enforce$/.test(v), name + ': CSP violation blocked, not reported-only: ' + v));
    eq(navigations, before, name + ': the page never navigated');
    eq(page.url().split('#')[0], url, name + ': still the report');
    eq(popups, 0, name + ': no window opened');
    eq(problems, [], name + ': no dialog or page error');
    if (name === 'canary') await page.screenshot({ path: path.join(artifacts, 'hostile-canary.png') });
    await page.close();
  }
}

/* The load scenario (report --load): the section comes first, its tables
 * and facts say what `depcheck simulate --load -f json` says, the load map
 * is moved into it with its own ids (no id twice on the page), and a click
 * on one of its services opens that service's card. */
async function load(browser) {
  const catalog = path.join(testdata, 'catalogs/streaming/catalog.yaml');
  const overlay = path.join(testdata, 'catalogs/load/streaming-load.yaml');
  const trig = ['--load', '--slow', 'discovery=150'];
  const file = report([catalog, overlay], path.join(artifacts, 'streaming-load.html'), trig);
  const sim = JSON.parse(run(['simulate', catalog, overlay, '-f', 'json'].concat(trig)));
  const { page, problems } = await open(browser, file, 'load');
  const st = await page.evaluate(() => {
    const ids = Array.from(document.querySelectorAll('[id]')).map((e) => e.id);
    const facts = {};
    document.querySelectorAll('#sec-load dl.facts dt').forEach((dt) => { facts[dt.textContent] = dt.nextSibling.textContent; });
    return {
      first: document.querySelector('#sections > section').id,
      nav: Array.from(document.querySelectorAll('#nav a')).map((a) => a.textContent),
      dup: ids.filter((id, k) => ids.indexOf(id) !== k),
      moved: !!document.querySelector('#sec-load .load-map svg#load-map-svg'),
      srcEmpty: document.getElementById('load-map-src').children.length === 0,
      facts: facts,
      rows: Array.from(document.querySelectorAll('#tbl-overloaded tbody tr')).map((tr) => tr.firstChild.textContent),
      over: Array.from(document.querySelectorAll('#load-map-svg g.node.load-over > title')).map((t) => t.textContent),
      trigger: Array.from(document.querySelectorAll('#load-map-svg g.node.load-trigger > title')).map((t) => t.textContent),
      cause: document.querySelectorAll('#load-map-svg g.edge.load-cause').length,
      retry: document.querySelectorAll('#load-map-svg g.edge.load-retry').length
    };
  });
  eq(st.first, 'sec-load', 'the load section comes first');
  ok(st.nav.includes('Load scenario'), 'nav link: ' + st.nav.join(','));
  eq(st.dup, [], 'no id twice on the page');
  ok(st.moved && st.srcEmpty, 'the load map is moved into its section');
  eq(st.rows, sim.overloaded.map((o) => o.service), 'overloaded: the services simulate --load lists');
  eq(sorted(st.over), sorted(sim.overloaded.map((o) => o.service)), 'the map marks the same services over capacity');
  eq(st.trigger, ['discovery'], 'the trigger is marked');
  ok(st.cause >= 1 && st.retry >= 10, 'cause and retry edges drawn: ' + st.cause + ', ' + st.retry);
  eq(st.facts.Trigger, sim.triggers.join('; '), 'trigger fact');
  eq(sim.metastable, true, 'the example is metastable');
  ok(/^yes/.test(st.facts.Metastable), 'metastable fact: ' + st.facts.Metastable);
  ok(st.facts['Smallest change that breaks it'].startsWith(sim.fix.value + ' more replica of ' + sim.fix.service),
    'the fix: ' + st.facts['Smallest change that breaks it']);
  ok(st.facts['Entry requests lost'].startsWith(sim.lost_rps + ' of ' + sim.entry_rps + ' rps'), 'lost: ' + st.facts['Entry requests lost']);
  const [disc] = await idsOf(page, ['discovery']);
  await page.evaluate(() => document.getElementById('sec-load').scrollIntoView());
  await page.screenshot({ path: path.join(artifacts, 'streaming-load.png') });
  await page.click('#ld-svc-' + disc, { force: true });
  eq(await cardTitle(page), 'discovery', 'a click on the load map opens the card');
  eq(problems, [], 'no console errors, page errors, dialogs or network');
  await page.close();
}

async function big(browser) {
  const yaml = path.join(artifacts, 'gen2000.yaml');
  fs.writeFileSync(yaml, execFileSync(gen, ['2000', '1'], { maxBuffer: 1 << 28 }));
  const file = report([yaml], path.join(artifacts, 'gen2000.html'));
  const size = fs.statSync(file).size;
  ok(size < 10 * 1024 * 1024, '2,000 services: ' + size + ' bytes < 10 MB');
  const { page, problems } = await open(browser, file, 'gen2000');
  eq(await page.evaluate(() => window.depcheckReport.data.map.mode), 'groups', 'collapsed map');
  ok((await page.locator('#map-svg g.node.dc-group').count()) > 10, 'one node per system');
  eq(await page.locator('#map-svg g[id^="svc-"]').count(), 0, 'no service nodes');
  await page.fill('#search', 'discovery');
  await page.press('#search', 'Enter');
  eq(await cardTitle(page), 'discovery', 'search in a big catalog');
  const [d] = await idsOf(page, ['discovery']);
  const grp = await page.evaluate((i) => window.depcheckReport.data.services[i].s, d);
  eq(await classed(page, 'seed'), ['grp-' + grp], 'its system is marked failed');
  ok((await classed(page, 'down')).length > 5, 'systems with DOWN services');
  ok((await page.locator('#map-svg g.edge.down').count()) > 0, 'arrows between failing systems');
  ok(await inView(page, 'grp-' + grp), 'the map focuses its system');
  await page.screenshot({ path: path.join(artifacts, 'gen2000-discovery.png') });
  await page.click('#zoom-fit');
  await page.click('#grp-' + grp, { force: true });
  eq(await cardTitle(page), await page.evaluate((g) => window.depcheckReport.data.groups[g].name, grp), 'group card');
  eq(await page.locator('#tbl-services tbody tr').count(), 25, 'paginated');
  eq(problems, [], 'no console errors or page errors');
  await page.close();
}

(async () => {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    await example(browser);
    await sections(browser);
    await load(browser);
    await hostile(browser);
    await hostileLinks(browser);
    await big(browser);
  } finally {
    await browser.close();
  }
  console.log('browser tests: ' + checks + ' checks passed; screenshots in ' + artifacts);
})().catch((e) => {
  console.error(e && e.stack || e);
  process.exit(1);
});
