// The kiosk (/screens/:token): rotates the items one at a time with a progress bar, keeps a
// clock in Beijing time, polls the playlist every pollSeconds with If-None-Match and replaces the
// items when it changed. With no successful poll for the playlist's validity (validUntil −
// generatedAt, 5 minutes) it blanks to the "paused" notice. ?poll=N (N ≥ 2) shortens the poll.
(function () {
  'use strict';
  var body = document.body;
  var url = body.getAttribute('data-playlist');
  if (!url || !window.fetch) return;
  var texts = {};
  try { texts = JSON.parse(body.getAttribute('data-texts') || '{}'); } catch (e) { texts = {}; }
  var rotate = Math.max(3, Number(body.getAttribute('data-rotate')) || 15) * 1000;
  var poll = Math.max(2, Number(body.getAttribute('data-poll')) || 30) * 1000;
  var q = /[?&]poll=(\d+)/.exec(location.search);
  if (q && Number(q[1]) >= 2) poll = Number(q[1]) * 1000;
  var main = document.getElementById('kiosk-main');
  var paused = document.getElementById('kiosk-paused');
  var bar = document.getElementById('kiosk-bar');
  var count = document.getElementById('kiosk-count');
  var clock = document.getElementById('kiosk-clock');
  var etag = null;
  var lastOk = Date.now();
  var validMs = 5 * 60 * 1000;
  var current = 0;
  var shownAt = Date.now();
  var fmt = function (s, v) { return String(s || '').replace(/\{(\w+)\}/g, function (_, k) { return v[k] === undefined ? '' : String(v[k]); }); };
  var day = function (iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? '' : new Date(t + 8 * 3600 * 1000).toISOString().slice(0, 10);
  };
  var el = function (tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  };
  body.classList.add('kiosk-js');

  function items() { return document.querySelectorAll('#kiosk-list .kiosk-item'); }

  function show(i) {
    var list = items();
    for (var k = 0; k < list.length; k++) list[k].classList.toggle('current', k === i);
    current = i;
    shownAt = Date.now();
    count.textContent = list.length ? fmt(texts.progress, { n: i + 1, total: list.length }) : '';
  }

  function render(playlist) {
    var old = document.getElementById('kiosk-list');
    var keep = null;
    var cur = items()[current];
    if (cur) keep = cur.getAttribute('data-id');
    var list;
    if (!playlist.items.length) {
      list = el('p', 'kiosk-empty', texts.empty);
    } else {
      list = el('ol', 'kiosk-list');
      playlist.items.forEach(function (x) {
        var li = el('li', 'kiosk-item');
        li.setAttribute('data-id', String(x.id));
        li.setAttribute('data-version', String(x.version));
        li.appendChild(el('p', 'kiosk-dept', x.department));
        li.appendChild(el('h2', 'kiosk-title', x.title));
        if (x.summary) li.appendChild(el('p', 'kiosk-summary', x.summary));
        var meta = el('p', 'kiosk-meta');
        if (x.indexNo) meta.appendChild(el('span', '', texts.index_no + '：' + x.indexNo));
        meta.appendChild(el('span', '', texts.published + '：' + day(x.publishedAt)));
        li.appendChild(meta);
        list.appendChild(li);
      });
    }
    list.id = 'kiosk-list';
    main.replaceChild(list, old);
    // Stay on the same item when it is still there; else start again.
    var next = 0;
    var all = items();
    for (var k = 0; k < all.length; k++) if (all[k].getAttribute('data-id') === keep) next = k;
    show(next);
  }

  function refresh() {
    var headers = {};
    if (etag) headers['If-None-Match'] = etag;
    return fetch(url, { headers: headers, cache: 'no-store', credentials: 'omit' })
      .then(function (r) {
        if (r.status === 304) { lastOk = Date.now(); return; }
        if (!r.ok) throw new Error('HTTP ' + r.status);
        var tag = r.headers.get('etag');
        return r.json().then(function (p) {
          etag = tag;
          lastOk = Date.now();
          var span = Date.parse(p.validUntil) - Date.parse(p.generatedAt);
          if (span > 0) validMs = span;
          render(p);
        });
      })
      .catch(function () { /* the next poll tries again; past validMs the screen pauses */ });
  }

  function tick() {
    var now = Date.now();
    var isPaused = now - lastOk > validMs;
    paused.hidden = !isPaused;
    body.classList.toggle('kiosk-paused-on', isPaused);
    var n = items().length;
    if (n && now - shownAt >= rotate) show((current + 1) % n);
    bar.style.width = n ? Math.min(100, ((now - shownAt) / rotate) * 100).toFixed(1) + '%' : '0';
    clock.textContent = new Date(now + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
  }

  show(0);
  refresh();
  setInterval(refresh, poll);
  setInterval(tick, 250);
})();
