/* depcheck report: displays the data block, computes nothing about failures.
 * Every cascade comes from depcheck (one exact simulation per service);
 * "fail several" only takes the union of those. Text is always inserted
 * with textContent. Plain ES2017, no dependencies, no network. */
(function () {
  'use strict';
  var D = JSON.parse(document.getElementById('dc-data').textContent);
  var S = D.services, N = S.length, G = D.groups;
  var PAGE = 25, CHIPS = 40;

  function $(id) { return document.getElementById(id); }
  // an <a> of the map whose target is http: or https: after the browser's
  // own URL parsing (entities, control characters and case already undone)
  function safeLink(a) {
    var raw = a.href && typeof a.href === 'object' ? a.href.baseVal : a.getAttribute('href');
    try {
      var p = new URL(raw, document.baseURI).protocol;
      return p === 'http:' || p === 'https:';
    } catch (e) { return false; }
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function plural(n, w) { return n + ' ' + w + (n === 1 ? '' : 's'); }

  /* ---- data ---------------------------------------------------------- */
  var rdeps = [];
  for (var i = 0; i < N; i++) rdeps.push([]);
  D.deps.forEach(function (d, a) {
    for (var k = 0; k < d.length; k += 2) rdeps[d[k]].push(a, d[k + 1]);
  });
  /* "first,gap,gap..." in base 36 (lib/report.c delta_str) */
  function undelta(str) {
    if (!str) return [];
    var a = str.split(','), out = new Array(a.length), v = 0;
    for (var k = 0; k < a.length; k++) { v += parseInt(a[k], 36); out[k] = v; }
    return out;
  }
  function cascade(s) {
    var c = D.cascade[s];
    return c ? { down: undelta(c[0]), deg: undelta(c[1]) } : null;
  }
  function name(s) { return S[s].n; }

  /* ---- map: pan and zoom --------------------------------------------- */
  var svg = $('map-svg'), mode = D.map.mode, vb0 = null, vb = null;
  if (mode === 'none' || !svg) { mode = 'none'; $('map').classList.add('empty'); }
  function nodeOf(s) {
    if (mode === 'services') return $('svc-' + s);
    if (mode === 'groups') return $('grp-' + S[s].s);
    return null;
  }
  function setVB() { svg.setAttribute('viewBox', vb.x + ' ' + vb.y + ' ' + vb.w + ' ' + vb.h); }
  function toSvg(cx, cy) {
    var p = svg.createSVGPoint(); p.x = cx; p.y = cy;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  function zoomAt(f, cx, cy) {
    var p = toSvg(cx, cy);
    var w = vb.w * f, h = vb.h * f;
    if (w < 40 || w > vb0.w * 4) return;
    vb = { x: p.x - (p.x - vb.x) * f, y: p.y - (p.y - vb.y) * f, w: w, h: h };
    setVB();
  }
  function zoomCenter(f) {
    var r = svg.getBoundingClientRect();
    zoomAt(f, r.left + r.width / 2, r.top + r.height / 2);
  }
  function fit() { vb = { x: vb0.x, y: vb0.y, w: vb0.w, h: vb0.h }; setVB(); }
  function focusNode(node) {
    if (!node || mode === 'none') return;
    var r = node.getBoundingClientRect();
    var a = toSvg(r.left, r.top), b = toSvg(r.right, r.bottom);
    var cx = (a.x + b.x) / 2, cy = (a.y + b.y) / 2;
    var box = svg.getBoundingClientRect(), aspect = box.height / Math.max(box.width, 1);
    /* wide enough for the neighbourhood, readable, never wider than the map */
    var w = Math.min(Math.max((b.x - a.x) * 6, vb0.w * 0.22, 480, box.width / 1.3), vb0.w * 1.05), h = w * aspect;
    vb = { x: cx - w / 2, y: cy - h / 2, w: w, h: h };
    setVB();
  }
  var groupEdges = [];
  if (mode === 'groups') {
    Array.prototype.forEach.call(svg.querySelectorAll('g.edge'), function (g) {
      var m = /^ge-(\d+)-(\d+)$/.exec(g.id);
      if (m) groupEdges.push([g, m[1], m[2]]);
    });
  }
  var drag = null, dragged = false;
  if (mode !== 'none') {
    var v = svg.viewBox.baseVal;
    vb0 = { x: v.x, y: v.y, w: v.width, h: v.height };
    vb = { x: v.x, y: v.y, w: v.width, h: v.height };
    /* the panel takes the map's shape (render picks the direction that
     * suits the graph): a tall map gets a tall panel, a wide one a short
     * one, within [380 px, 85% of the window], so Fit fills it */
    /* the map opens readable: at least READABLE screen px per map unit
     * (labels are 10 units: 10 px), even when that shows less than the
     * whole map; the panel as tall as that picture needs within [380 px,
     * 75% of the window], showing its top (the entrypoints); Fit shows
     * it all */
    var READABLE = 1;
    var sizePanel = function () {
      var box = $('map'), w = box.clientWidth;
      if (!w || !vb0.w) return;
      var scale = Math.max(w / vb0.w, READABLE);
      box.style.height = Math.round(Math.min(Math.max(vb0.h * scale, 380), window.innerHeight * 0.75)) + 'px';
    };
    var readable = function () {
      var box = $('map'), w = box.clientWidth, h = box.clientHeight;
      if (!w || !h || w / vb0.w >= READABLE) return;
      var vw = w / READABLE, vh = h / READABLE;
      vb = { x: vb0.x + (vb0.w - vw) / 2, y: vb0.y, w: vw, h: vh };
      setVB();
    };
    sizePanel();
    readable();
    window.addEventListener('resize', sizePanel);
    svg.addEventListener('wheel', function (e) {
      e.preventDefault();
      zoomAt(Math.pow(1.0015, e.deltaY), e.clientX, e.clientY);
    }, { passive: false });
    svg.addEventListener('pointerdown', function (e) {
      if (e.button !== 0) return;
      drag = { x: e.clientX, y: e.clientY, vb: vb, id: e.pointerId };
      dragged = false;
    });
    svg.addEventListener('pointermove', function (e) {
      if (!drag) return;
      var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!dragged && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!dragged) { dragged = true; svg.setPointerCapture(drag.id); svg.classList.add('dragging'); }
      var r = svg.getBoundingClientRect();
      var upp = Math.max(drag.vb.w / r.width, drag.vb.h / r.height);
      vb = { x: drag.vb.x - dx * upp, y: drag.vb.y - dy * upp, w: drag.vb.w, h: drag.vb.h };
      setVB();
    });
    function endDrag() { drag = null; svg.classList.remove('dragging'); }
    svg.addEventListener('pointerup', endDrag);
    svg.addEventListener('pointercancel', endDrag);
    svg.addEventListener('click', function (e) {
      // a link in the map is followed only to http(s): depcheck writes no
      // other kind, and this holds even if a crafted one got through
      var a = e.target.closest ? e.target.closest('a') : null;
      if (a && !safeLink(a)) e.preventDefault();
      if (dragged) { dragged = false; e.preventDefault(); return; }
      var g = e.target.closest ? e.target.closest('g.node') : null;
      if (!g) return;
      var m = /^(svc|grp)-(\d+)$/.exec(g.id);
      if (!m) return;
      if (m[1] === 'svc') pick(+m[2], false);
      else showGroup(+m[2]);
    });
  }
  $('zoom-in').addEventListener('click', function () { if (vb) zoomCenter(1 / 1.4); });
  $('zoom-out').addEventListener('click', function () { if (vb) zoomCenter(1.4); });
  $('zoom-fit').addEventListener('click', function () { if (vb) fit(); });

  /* ---- highlighting --------------------------------------------------- */
  var painted = [];
  function mark(e, cls) { if (e) { e.classList.add(cls); painted.push([e, cls]); } }
  function unpaint() {
    painted.forEach(function (p) { p[0].classList.remove(p[1]); });
    painted = [];
    if (svg) svg.classList.remove('focus');
  }
  /* state: 3 failed, 2 down, 1 degraded */
  function paint(state) {
    unpaint();
    if (mode === 'none') return;
    svg.classList.add('focus');
    if (mode === 'services') {
      state.forEach(function (st, s) {
        mark($('svc-' + s), st === 3 ? 'seed' : st === 2 ? 'down' : 'degraded');
        var d = D.deps[s];
        for (var k = 0; k < d.length; k += 2)
          /* a mutual pair is one double-headed edge (render merges parallel
           * edges on small maps), id'd after one of its directions */
          if (state.has(d[k]))
            mark($('e-' + s + '-' + d[k]) || $('e-' + d[k] + '-' + s), st >= 2 ? 'down' : 'degraded');
      });
    } else {
      var worst = {};
      state.forEach(function (st, s) { var g = S[s].s; worst[g] = Math.max(worst[g] || 0, st); });
      Object.keys(worst).forEach(function (g) {
        var st = worst[g];
        mark($('grp-' + g), st === 3 ? 'seed' : st === 2 ? 'down' : 'degraded');
      });
      /* an arrow between two affected systems carries the failure */
      groupEdges.forEach(function (e) {
        var a = worst[e[1]], b = worst[e[2]];
        if (a && b) mark(e[0], a >= 2 ? 'down' : 'degraded');
      });
    }
  }

  /* ---- selection ------------------------------------------------------ */
  var multi = false, chosen = [];
  function combined(list) {
    /* union of single failures: exact for the affected set, DOWN is a lower bound */
    var state = new Map(), missing = [];
    list.forEach(function (s) { state.set(s, 3); });
    list.forEach(function (s) {
      var c = cascade(s);
      if (!c) { missing.push(s); return; }
      c.down.forEach(function (t) { if ((state.get(t) || 0) < 2) state.set(t, 2); });
      c.deg.forEach(function (t) { if (!state.has(t)) state.set(t, 1); });
    });
    return { state: state, missing: missing };
  }
  function pick(s, fromTable) {
    if (multi) {
      var k = chosen.indexOf(s);
      if (k >= 0) chosen.splice(k, 1); else chosen.push(s);
    } else {
      chosen = [s];
    }
    render();
    if (fromTable || !multi) {
      var node = nodeOf(s);
      if (node && fromTable) {
        focusNode(node);
        $('explore').scrollIntoView({ block: 'nearest' });
      }
      if (node) { mark(node, 'current'); }
    }
    setHash();
  }
  function render() {
    var card = $('card');
    card.textContent = '';
    if (!chosen.length) { unpaint(); intro(card); return; }
    var r = combined(chosen);
    paint(r.state);
    if (chosen.length === 1 && !multi) serviceCard(card, chosen[0], r);
    else multiCard(card, r);
  }

  /* ---- the card ------------------------------------------------------- */
  function chip(s, extra) {
    var b = el('button', 'chip' + (extra ? ' ' + extra : '') + (S[s].e ? ' ep' : ''), name(s));
    b.type = 'button';
    b.title = name(s) + ' (' + G[S[s].s].name + (S[s].e ? ', entrypoint' : '') + ')';
    b.addEventListener('click', function (e) { e.stopPropagation(); pick(s, true); });
    return b;
  }
  function chips(parent, ids, cls) {
    var box = el('div', 'chips');
    function fill(limit) {
      box.textContent = '';
      ids.slice(0, limit).forEach(function (s) { box.appendChild(chip(s, cls)); });
      if (ids.length > limit) {
        var more = el('button', 'chip more', '+' + (ids.length - limit) + ' more');
        more.type = 'button';
        more.addEventListener('click', function (e) { e.stopPropagation(); fill(ids.length); });
        box.appendChild(more);
      }
    }
    fill(CHIPS);
    parent.appendChild(box);
    return box;
  }
  var collator = new Intl.Collator('en', { numeric: true });
  function byName(a, b) { return collator.compare(name(a), name(b)) || a - b; }
  function field(dl, k, v) {
    if (v === undefined || v === null || v === '') return;
    dl.appendChild(el('dt', null, k));
    dl.appendChild(el('dd', null, v));
  }
  /* the first screen: the services whose lone failure does the most
   * harm (other services DOWN, then DEGRADED, as the Services table and
   * the cards count them), then how to explore */
  var TOP_RISKS = 5;
  function intro(card) {
    card.appendChild(el('h2', null, 'Top risks'));
    var ids = [];
    for (var s = 0; s < N; s++) if (S[s].d || S[s].g) ids.push(s);
    ids.sort(function (a, b) { return S[b].d - S[a].d || S[b].g - S[a].g || byName(a, b); });
    if (!ids.length) card.appendChild(el('p', 'muted', 'No service takes another down or degrades it.'));
    else {
      card.appendChild(el('p', 'muted small', 'If it fails alone: other services DOWN \u00b7 DEGRADED'));
      var t = el('table', 'mini risks');
      ids.slice(0, TOP_RISKS).forEach(function (s) {
        var tr = el('tr'), td = el('td');
        td.appendChild(chip(s, ''));
        if (S[s].sp) td.appendChild(el('span', 'tag spof', 'SPOF'));
        tr.appendChild(td);
        tr.appendChild(el('td', 'num down', S[s].d));
        tr.appendChild(el('td', 'num degraded', S[s].g));
        t.appendChild(tr);
      });
      card.appendChild(t);
    }
    card.appendChild(el('h3', null, 'Explore'));
    card.appendChild(el('p', null, 'Click a service on the map or in a table to see its card and ' +
      'what goes DOWN (red) and DEGRADED (orange) when it fails alone. Fail several: select more ' +
      'than one service and see their combined cascade.'));
    card.appendChild(el('p', 'muted', 'Wheel or +/\u2212 to zoom, drag to pan, Fit to see it all.'));
  }
  /* other services: the failed ones are not counted (as in the Services
   * table and the lists below: "Goes DOWN (N)" lists the same N) */
  function counts(parent, st) {
    var down = 0, deg = 0, eps = 0, failed = 0;
    st.forEach(function (v, s) {
      if (v === 3) failed++;
      else if (v === 2) { down++; if (S[s].e) eps++; } else deg++;
    });
    var p = el('div', 'counts');
    p.appendChild(el('span', 'num down', down));
    p.appendChild(el('span', null, ' other' + (down === 1 ? '' : 's') + ' down \u00b7 '));
    p.appendChild(el('span', 'num degraded', deg));
    p.appendChild(el('span', null, ' degraded'));
    p.appendChild(el('span', 'muted small', ' (not counting the ' +
      (failed === 1 ? 'failed service' : failed + ' failed services') + ')'));
    parent.appendChild(p);
    if (eps) parent.appendChild(el('p', 'warn', plural(eps, 'entrypoint') + ' down'));
  }
  function lists(card, st, skip) {
    var down = [], deg = [];
    st.forEach(function (v, s) { if (v === 2) down.push(s); else if (v === 1) deg.push(s); });
    down.sort(byName); deg.sort(byName);
    if (down.length) { card.appendChild(el('h3', 'h-down', 'Goes DOWN (' + down.length + ')')); chips(card, down, 'down'); }
    if (deg.length) { card.appendChild(el('h3', 'h-deg', 'DEGRADED (' + deg.length + ')')); chips(card, deg, 'degraded'); }
    if (!down.length && !deg.length && !skip) card.appendChild(el('p', 'muted', 'Nothing else is affected.'));
  }
  function groupCounts(card, st) {
    if (mode !== 'groups') return;
    var per = {};
    st.forEach(function (v, s) {
      var g = S[s].s, c = per[g] || (per[g] = [0, 0]);
      if (v >= 2) c[0]++; else c[1]++;
    });
    var keys = Object.keys(per);
    if (!keys.length) return;
    keys.sort(function (a, b) { return per[b][0] - per[a][0] || per[b][1] - per[a][1]; });
    card.appendChild(el('h3', null, 'By system'));
    var t = el('table', 'mini');
    keys.slice(0, 15).forEach(function (g) {
      var tr = el('tr');
      tr.appendChild(el('td', null, G[g].name));
      tr.appendChild(el('td', 'num down', per[g][0]));
      tr.appendChild(el('td', 'num degraded', per[g][1]));
      tr.appendChild(el('td', 'num muted', 'of ' + G[g].size));
      t.appendChild(tr);
    });
    card.appendChild(t);
  }
  function serviceCard(card, s, r) {
    var x = S[s];
    var h = el('h2', 'svc-name', x.n);
    card.appendChild(h);
    var tags = el('div', 'tags');
    if (x.e) tags.appendChild(el('span', 'tag entry', 'entrypoint'));
    if (x.x) tags.appendChild(el('span', 'tag ext', 'external'));
    if (x.t) tags.appendChild(el('span', 'tag', 'tier ' + x.t));
    if (x.sp) tags.appendChild(el('span', 'tag spof', 'SPOF: ' + plural(x.sp, 'entrypoint')));
    card.appendChild(tags);
    var dl = el('dl', 'fields');
    field(dl, 'System', G[x.s].name);
    field(dl, 'Owner', x.o);
    field(dl, 'Description', x.ds);
    field(dl, 'Replicas', x.r);
    field(dl, 'Zones', x.z ? x.z.join(', ') : null);
    field(dl, 'Tags', x.tg ? x.tg.join(', ') : null);
    field(dl, 'Defined at', x.f ? x.f + ':' + x.l : null);
    card.appendChild(dl);
    card.appendChild(el('h3', null, 'If it fails alone'));
    if (r.missing.length) {
      card.appendChild(el('p', 'warn', 'Its cascade (' + x.d + ' down, ' + x.g + ' degraded) is too ' +
        'big to embed in this report: run depcheck simulate --fail ' + x.n));
    } else {
      counts(card, r.state);
      lists(card, r.state);
      groupCounts(card, r.state);
    }
    var d = D.deps[s], out = [], inn = [];
    for (var k = 0; k < d.length; k += 2) out.push([d[k], d[k + 1]]);
    for (k = 0; k < rdeps[s].length; k += 2) inn.push([rdeps[s][k], rdeps[s][k + 1]]);
    depList(card, 'Depends on', out);
    depList(card, 'Depended on by', inn);
  }
  function depList(card, title, pairs) {
    card.appendChild(el('h3', null, title + ' (' + pairs.length + ')'));
    if (!pairs.length) { card.appendChild(el('p', 'muted', 'none')); return; }
    pairs.sort(function (a, b) { return byName(a[0], b[0]); });
    var box = el('div', 'chips');
    pairs.slice(0, 80).forEach(function (p) {
      var c = chip(p[0], (p[1] & 1) ? 'soft' : '');
      if (p[1]) c.title += (p[1] & 1 ? ' \u00b7 soft' : '') + (p[1] & 2 ? ' \u00b7 any_of' : '');
      box.appendChild(c);
    });
    if (pairs.length > 80) box.appendChild(el('span', 'muted', '\u2026 and ' + (pairs.length - 80) + ' more'));
    card.appendChild(box);
  }
  function multiCard(card, r) {
    card.appendChild(el('h2', null, 'Fail several'));
    if (!chosen.length) {
      card.appendChild(el('p', 'muted', 'Click services on the map or in the tables to fail them together.'));
      return;
    }
    card.appendChild(el('h3', null, 'Failing together (' + chosen.length + ')'));
    var box = el('div', 'chips');
    chosen.forEach(function (s) {
      var b = el('button', 'chip seed', name(s) + ' \u00d7');
      b.type = 'button';
      b.title = 'Remove ' + name(s);
      b.addEventListener('click', function () { chosen.splice(chosen.indexOf(s), 1); render(); setHash(); });
      box.appendChild(b);
    });
    card.appendChild(box);
    counts(card, r.state);
    var note = el('p', 'exact');
    note.textContent = 'Combined from the single failures depcheck computed. Exact: the set of ' +
      'affected services, and every service shown DOWN is DOWN. A lower bound: a service shown ' +
      'DEGRADED may in fact be DOWN when these failures hit several members of one of its any_of ' +
      'groups together. For the exact result run: depcheck simulate --fail ' +
      chosen.map(name).join(' --fail ');
    card.appendChild(note);
    if (r.missing.length) card.appendChild(el('p', 'warn', 'Not embedded (too big), left out: ' +
      r.missing.map(name).join(', ')));
    lists(card, r.state, true);
    groupCounts(card, r.state);
  }
  function showGroup(g) {
    var card = $('card');
    card.textContent = '';
    chosen = [];
    unpaint();
    mark($('grp-' + g), 'current');
    card.appendChild(el('h2', null, G[g].name));
    card.appendChild(el('p', 'muted', plural(G[g].size, 'service') + ' in this system. Click one:'));
    var ids = [];
    for (var s = 0; s < N; s++) if (S[s].s === g) ids.push(s);
    ids.sort(function (a, b) { return S[b].d - S[a].d || byName(a, b); });
    chips(card, ids, '');
  }

  /* ---- search ---------------------------------------------------------- */
  var search = $('search'), results = $('search-results');
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var pre = [], mid = [];
    for (var s = 0; s < N && pre.length < 12; s++) {
      var n = S[s].n.toLowerCase(), k = n.indexOf(q);
      if (k === 0) pre.push(s); else if (k > 0 && mid.length < 12) mid.push(s);
    }
    pre.sort(byName); mid.sort(byName);
    return pre.concat(mid).slice(0, 12);
  }
  function showResults() {
    var hits = find(search.value);
    results.textContent = '';
    hits.forEach(function (s, k) {
      var li = el('li', k === 0 ? 'active' : '');
      li.appendChild(el('span', null, name(s)));
      li.appendChild(el('span', 'muted', G[S[s].s].name));
      li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(s); });
      results.appendChild(li);
    });
    if (search.value.trim() && !hits.length) results.appendChild(el('li', 'muted', 'No service matches'));
    results.hidden = !search.value.trim();
  }
  function choose(s) {
    results.hidden = true;
    search.value = name(s);
    pick(s, true);
  }
  search.addEventListener('input', showResults);
  search.addEventListener('focus', showResults);
  search.addEventListener('blur', function () { results.hidden = true; });
  search.addEventListener('keydown', function (e) {
    if (e.key === 'Enter') {
      var hits = find(search.value);
      if (hits.length) choose(hits[0]);
    } else if (e.key === 'Escape') {
      results.hidden = true;
    }
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === '/' && document.activeElement !== search && !/INPUT|TEXTAREA/.test(document.activeElement.tagName)) {
      e.preventDefault(); search.focus();
    }
  });
  $('multi').addEventListener('change', function (e) {
    multi = e.target.checked;
    render();
    setHash();
  });
  $('clear').addEventListener('click', function () {
    chosen = []; search.value = ''; render(); setHash();
  });

  /* ---- tables ----------------------------------------------------------- */
  function cellText(type, v) {
    if (v === null || v === undefined) return '';
    if (type === 'svc') return name(v);
    if (type === 'svcs') return v.map(name).join(' ');
    return String(v);
  }
  function table(parent, t) {
    var cols = t.cols.map(function (c) { var k = c.indexOf(':'); return [c.slice(0, k), c.slice(k + 1)]; });
    var svcCol = -1;
    cols.forEach(function (c, k) { if (svcCol < 0 && c[0] === 'svc') svcCol = k; });
    var box = el('div', 'tbl');
    if (t.id) box.id = 'tbl-' + t.id;
    if (t.title) {
      var h = el('h3', null, t.title);
      h.appendChild(el('span', 'count', t.total));
      box.appendChild(h);
    }
    if (t.note) box.appendChild(el('p', 'muted', t.note));
    if (t.total > t.rows.length) box.appendChild(el('p', 'muted', 'The first ' + t.rows.length + ' of ' +
      t.total + ', worst first; the command line (-f json) lists them all.'));
    if (!t.rows.length) { box.appendChild(el('p', 'empty', t.empty || 'Nothing to report.')); parent.appendChild(box); return; }
    var rows = t.rows, page = 0, filter = null;
    if (rows.length > PAGE) {
      filter = el('input', 'filter');
      filter.type = 'search';
      filter.placeholder = 'Filter these ' + rows.length + ' rows';
      filter.setAttribute('aria-label', 'Filter');
      box.appendChild(filter);
    }
    var tbl = el('table', 'data'), thead = el('thead'), tr = el('tr'), tbody = el('tbody');
    cols.forEach(function (c) { tr.appendChild(el('th', c[0] === 'num' ? 'num' : '', c[1])); });
    thead.appendChild(tr); tbl.appendChild(thead); tbl.appendChild(tbody);
    var scroll = el('div', 'scroll');
    scroll.appendChild(tbl);
    box.appendChild(scroll);
    var pager = el('div', 'pager');
    box.appendChild(pager);
    parent.appendChild(box);
    function draw() {
      var shown = rows;
      if (filter && filter.value.trim()) {
        var q = filter.value.trim().toLowerCase();
        shown = rows.filter(function (r) {
          return r.some(function (v, k) { return cellText(cols[k][0], v).toLowerCase().indexOf(q) >= 0; });
        });
      }
      var pages = Math.max(1, Math.ceil(shown.length / PAGE));
      if (page >= pages) page = pages - 1;
      tbody.textContent = '';
      shown.slice(page * PAGE, page * PAGE + PAGE).forEach(function (r) {
        var tr = el('tr');
        r.forEach(function (v, k) {
          var type = cols[k][0], td = el('td', type);
          if (v === null || v === undefined) td.textContent = '';
          else if (type === 'svc') td.appendChild(chip(v, ''));
          else if (type === 'svcs') chips(td, v, '');
          else td.textContent = String(v);
          tr.appendChild(td);
        });
        if (svcCol >= 0 && r[svcCol] !== null) {
          tr.className = 'clickable';
          tr.dataset.svc = r[svcCol];
          tr.addEventListener('click', function () { pick(r[svcCol], true); });
        }
        tbody.appendChild(tr);
      });
      pager.textContent = '';
      if (shown.length <= PAGE && !filter) return;
      var prev = el('button', 'btn', '\u2039 Prev'), next = el('button', 'btn', 'Next \u203a');
      prev.type = next.type = 'button';
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      prev.addEventListener('click', function () { page--; draw(); });
      next.addEventListener('click', function () { page++; draw(); });
      pager.appendChild(prev);
      pager.appendChild(el('span', 'muted', shown.length ? (page * PAGE + 1) + '\u2013' +
        Math.min(shown.length, page * PAGE + PAGE) + ' of ' + shown.length : 'no match'));
      pager.appendChild(next);
    }
    if (filter) filter.addEventListener('input', function () { page = 0; draw(); });
    draw();
  }

  /* ---- page ------------------------------------------------------------- */
  function header() {
    $('title').textContent = D.title;
    document.title = D.title;
    var files = D.files.join(', ') + (D.files_total > D.files.length ? ' and ' + (D.files_total - D.files.length) + ' more' : '');
    $('subtitle').textContent = 'from ' + files +
      (D.assumptions.statements.length ? '. Assumed: ' + D.assumptions.statements.join('; ') : '');
    var sm = D.summary, dl = $('summary');
    [['Services', sm.services], ['Dependencies', sm.dependencies], ['Systems', sm.systems],
     ['Entrypoints', sm.entrypoints], ['Cycles', sm.cycles + (sm.hard_cycles ? ' (' + sm.hard_cycles + ' hard)' : '')],
     ['SPOFs', sm.spofs]].forEach(function (p) {
      var d = el('div', 'stat');
      d.appendChild(el('dt', null, p[0]));
      d.appendChild(el('dd', null, p[1]));
      dl.appendChild(d);
    });
    $('map-note').textContent = D.map.note || '';
    $('footer').textContent = 'Generated by ' + D.generator + '. Self-contained: this file loads nothing. ' +
      'Cascades are exact single-failure simulations' +
      (D.map.cascades_left_out ? '; ' + plural(D.map.cascades_left_out, 'cascade') + ' too big to embed' : '') + '.';
  }
  /* the load section's map: the SVG written outside the data (its ids
   * prefixed ld-), moved into the section; a click on a service opens its
   * card on the main map */
  function loadMap(parent, sec) {
    var src = $('load-map-src'), lsvg = $('load-map-svg');
    if (!sec.map || !lsvg) {
      parent.appendChild(el('p', 'muted', sec.map_note || 'No load map.'));
      return;
    }
    var box = el('div', 'load-map');
    var v = lsvg.viewBox.baseVal;
    if (v && v.width) { lsvg.setAttribute('width', Math.round(v.width)); lsvg.setAttribute('height', Math.round(v.height)); }
    box.appendChild(lsvg);
    parent.appendChild(el('h3', null, 'The map under load'));
    parent.appendChild(el('p', 'muted', 'Services coloured by utilisation with the trigger; hover one for its ' +
      'numbers, click it for its card. The legend is at the bottom of the map.'));
    parent.appendChild(box);
    if (src) src.textContent = '';
    lsvg.addEventListener('click', function (e) {
      var a = e.target.closest ? e.target.closest('a') : null;
      if (a && !safeLink(a)) e.preventDefault();
      var g = e.target.closest ? e.target.closest('g.node') : null;
      var m = g ? /^ld-svc-(\d+)$/.exec(g.id) : null;
      if (m && +m[1] < N) pick(+m[1], true);
    });
  }
  function sections() {
    var root = $('sections'), nav = $('nav');
    var a0 = el('a', null, 'Map');
    a0.href = '#explore';
    nav.appendChild(a0);
    D.sections.forEach(function (sec) {
      var s = el('section', 'sec');
      s.id = 'sec-' + sec.id;
      s.appendChild(el('h2', null, sec.title));
      if (sec.intro) s.appendChild(el('p', 'intro', sec.intro));
      if (sec.facts) {
        var dl = el('dl', 'facts');
        sec.facts.forEach(function (f) { field(dl, f[0], f[1]); });
        s.appendChild(dl);
      }
      if (sec.map !== undefined) loadMap(s, sec);
      sec.tables.forEach(function (t) { table(s, t); });
      root.appendChild(s);
      var a = el('a', null, sec.title);
      a.href = '#sec-' + sec.id;
      nav.appendChild(a);
    });
  }
  /* selection in the URL fragment, so a link opens on the same view */
  function setHash() {
    var h = chosen.length ? (multi ? 'fail=' : 'svc=') + chosen.map(function (s) { return encodeURIComponent(name(s)); }).join(',') : '';
    try { history.replaceState(null, '', h ? '#' + h : location.pathname); } catch (e) { /* file:// quirks */ }
  }
  function fromHash() {
    var m = /^#(svc|fail)=(.*)$/.exec(location.hash);
    if (!m) return;
    var want = m[2].split(',').map(decodeURIComponent), ids = [];
    for (var s = 0; s < N; s++) if (want.indexOf(S[s].n) >= 0) ids.push(s);
    if (!ids.length) return;
    if (m[1] === 'fail') { multi = true; $('multi').checked = true; chosen = ids; render(); }
    else pick(ids[0], true);
  }

  header();
  sections();
  render();
  fromHash();
  window.depcheckReport = { data: D, pick: pick, chosen: function () { return chosen.slice(); } };
})();
