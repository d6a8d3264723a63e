// clausecheck HTML report: filtering and paging. Progressive enhancement: without this script
// every row is shown and the filter form stays hidden. It reads only the page's own attributes
// (data-v verdict, data-a agreements, data-c clauses, data-f field=value pairs) and text, never
// text as markup, and fetches nothing.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) { return; }
  var PAGE = 100;
  var page = 0;
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr[data-v]'));
  var listed = rows.map(function (r) { return r.parentNode.id === 'deployment-rows'; });
  var texts = new Array(rows.length);
  var groups = Array.prototype.slice.call(document.querySelectorAll('[data-group]'));
  var status = document.getElementById('matching');
  var pager = document.getElementById('pager');
  var prev = document.getElementById('prev');
  var next = document.getElementById('next');
  var fields = Array.prototype.slice.call(form.querySelectorAll('[data-field]'));
  function has(list, want) { return (' ' + (list || '') + ' ').indexOf(' ' + want + ' ') >= 0; }
  function wanted() {
    var w = { q: form.elements.q.value.trim().toLowerCase(), v: form.elements.verdict.value,
              a: form.elements.agreement.value, c: form.elements.clause.value, f: [] };
    fields.forEach(function (el) {
      var value = el.value.trim();
      if (value) { w.f.push(el.getAttribute('data-field') + '=' + value); }
    });
    return w;
  }
  function matches(i, w) {
    var r = rows[i];
    if (w.v && r.getAttribute('data-v') !== w.v) { return false; }
    if (w.a && !has(r.getAttribute('data-a'), w.a)) { return false; }
    if (w.c && !has(r.getAttribute('data-c'), w.c)) { return false; }
    for (var k = 0; k < w.f.length; k++) {
      if (!has(r.getAttribute('data-f'), w.f[k])) { return false; }
    }
    if (w.q) {
      if (texts[i] === undefined) { texts[i] = r.textContent.toLowerCase(); }
      if (texts[i].indexOf(w.q) < 0) { return false; }
    }
    return true;
  }
  function apply() {
    var w = wanted();
    var other = 0, matched = [];
    for (var i = 0; i < rows.length; i++) {
      var ok = matches(i, w);
      if (listed[i]) {
        if (ok) { matched.push(i); }
        rows[i].hidden = true;
      } else {
        rows[i].hidden = !ok;
        if (ok) { other++; }
      }
    }
    var pages = Math.max(1, Math.ceil(matched.length / PAGE));
    if (page >= pages) { page = pages - 1; }
    var first = page * PAGE, last = Math.min(first + PAGE, matched.length);
    for (var j = first; j < last; j++) { rows[matched[j]].hidden = false; }
    groups.forEach(function (g) {
      var inside = g.querySelectorAll('tr[data-v]');
      var m = 0;
      for (var k = 0; k < inside.length; k++) { if (!inside[k].hidden) { m++; } }
      g.hidden = m === 0;
      var count = g.querySelector('.count');
      if (count) { count.textContent = m === inside.length ? String(m) : m + ' of ' + inside.length; }
    });
    status.textContent = 'Deployments table: ' +
      (matched.length === 0 ? 'no listed deployment matches' :
        'showing ' + (first + 1) + '–' + last + ' of ' + matched.length + ' matching') +
      '. Violation, error and waiver rows matching: ' + other + '.';
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  }
  form.hidden = false;
  pager.hidden = false;
  form.addEventListener('input', function () { page = 0; apply(); });
  form.addEventListener('change', function () { page = 0; apply(); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(function () { page = 0; apply(); }, 0); });
  prev.addEventListener('click', function () { if (page > 0) { page--; apply(); } });
  next.addEventListener('click', function () { page++; apply(); });
  apply();
})();
