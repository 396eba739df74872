// Re-runs a random draw (format gongkai-draw/1, docs/draws.md) in the browser, with no help from
// the server beyond the record itself: the same steps as src/modules/enforcement/service/draw.ts
// (verifyDraw), and SM3 as GB/T 32905-2016 defines it. Also computes a witness's commitment
// SM3(secret) on /enforcement/draws/commit. Texts come from the page (data-messages).
(function () {
  'use strict';

  // ---- SM3 (GB/T 32905-2016) ----
  var IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];
  function rotl(x, n) {
    n &= 31;
    return (x << n) | (x >>> (32 - n));
  }
  var T = new Int32Array(64); // T_j rotated left by j mod 32, as the compression uses it
  for (var t = 0; t < 64; t++) T[t] = rotl(t < 16 ? 0x79cc4519 : 0x7a879d8a, t);
  var W = new Int32Array(68);
  var W1 = new Int32Array(64);

  /** SM3 of bytes (Uint8Array): 32 bytes. */
  function sm3(m) {
    var len = m.length;
    var buf = new Uint8Array((((len + 8) >> 6) + 1) * 64); // message, 0x80, zeros, 64-bit length
    buf.set(m);
    buf[len] = 0x80;
    var view = new DataView(buf.buffer);
    view.setUint32(buf.length - 8, Math.floor(len / 0x20000000));
    view.setUint32(buf.length - 4, (len << 3) >>> 0);
    var V = IV.slice();
    for (var off = 0; off < buf.length; off += 64) {
      var j, x;
      for (j = 0; j < 16; j++) W[j] = view.getInt32(off + 4 * j);
      for (j = 16; j < 68; j++) {
        x = W[j - 16] ^ W[j - 9] ^ rotl(W[j - 3], 15);
        W[j] = x ^ rotl(x, 15) ^ rotl(x, 23) ^ rotl(W[j - 13], 7) ^ W[j - 6];
      }
      for (j = 0; j < 64; j++) W1[j] = W[j] ^ W[j + 4];
      var A = V[0], B = V[1], C = V[2], D = V[3], E = V[4], F = V[5], G = V[6], H = V[7];
      for (j = 0; j < 64; j++) {
        var a12 = rotl(A, 12);
        var ss1 = rotl((a12 + E + T[j]) | 0, 7);
        var ss2 = ss1 ^ a12;
        var tt1 = ((j < 16 ? A ^ B ^ C : (A & B) | (A & C) | (B & C)) + D + ss2 + W1[j]) | 0;
        var tt2 = ((j < 16 ? E ^ F ^ G : (E & F) | (~E & G)) + H + ss1 + W[j]) | 0;
        D = C;
        C = rotl(B, 9);
        B = A;
        A = tt1;
        H = G;
        G = rotl(F, 19);
        F = E;
        E = tt2 ^ rotl(tt2, 9) ^ rotl(tt2, 17);
      }
      V[0] ^= A; V[1] ^= B; V[2] ^= C; V[3] ^= D; V[4] ^= E; V[5] ^= F; V[6] ^= G; V[7] ^= H;
    }
    var out = new Uint8Array(32);
    var ov = new DataView(out.buffer);
    for (var k = 0; k < 8; k++) ov.setUint32(4 * k, V[k] >>> 0);
    return out;
  }
  function hex(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i++) s += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return s;
  }
  var utf8 = new TextEncoder();
  function sm3hex(text) {
    return hex(sm3(utf8.encode(text)));
  }

  // ---- gongkai-draw/1 ----
  var FORMAT = 'gongkai-draw/1';
  var SURROGATE = /[\uD800-\uDFFF]/;
  /** Order of the UTF-8 bytes (the same as UTF-16 order when no character is beyond U+FFFF). */
  function utf8Compare(a, b) {
    if (SURROGATE.test(a) || SURROGATE.test(b)) {
      var x = utf8.encode(a), y = utf8.encode(b);
      for (var i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
      return x.length - y.length;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  function firstOutOfOrder(items) {
    for (var i = 1; i < items.length; i++) if (utf8Compare(items[i - 1], items[i]) >= 0) return i;
    return -1;
  }

  function Stream(seedHex) {
    this.input = new Uint8Array(36);
    for (var i = 0; i < 32; i++) this.input[i] = parseInt(seedHex.substr(2 * i, 2), 16);
    this.counter = 0;
    this.block = null;
    this.pos = 32;
  }
  Stream.prototype.word = function () {
    if (this.pos >= 32) {
      new DataView(this.input.buffer).setUint32(32, this.counter++);
      this.block = new DataView(sm3(this.input).buffer);
      this.pos = 0;
    }
    var w = this.block.getUint32(this.pos);
    this.pos += 4;
    return w;
  };
  Stream.prototype.uniform = function (m) {
    var limit = 4294967296 - (4294967296 % m);
    var w = this.word();
    while (w >= limit) w = this.word();
    return w % m;
  };

  function seedOf(r) {
    var lines = [FORMAT, String(r.task), sm3hex(r.targets.join('\n')), sm3hex(r.inspectors.map(function (x) { return x.certNo; }).join('\n')), String(r.sampleSize), String(r.perTarget)]
      .concat(r.secrets, [r.beacon]);
    return sm3hex(lines.join('\n'));
  }

  function Refused(key, params) {
    this.key = key;
    this.params = params;
  }

  /** Inputs that are no draw (line breaks inside values, a sample larger than the pool): a Refused, else null. */
  function refusal(r) {
    var certNos = r.inspectors.map(function (x) { return x.certNo; });
    var lists = [['targets', r.targets], ['inspectors', certNos], ['secrets', r.secrets], ['beacon', [r.beacon]]];
    for (var l = 0; l < lists.length; l++) {
      for (var i = 0; i < lists[l][1].length; i++) {
        if (lists[l][1][i].indexOf('\n') >= 0) {
          var f = lists[l][0];
          return new Refused('enforcement.draw.err.bad-input', { field: f === 'secrets' ? 'secrets.' + i : f, value: f === 'secrets' ? '' : lists[l][1][i] });
        }
      }
    }
    if (r.sampleSize > r.targets.length) return new Refused('enforcement.draw.err.too-few-targets', { needed: r.sampleSize, available: r.targets.length });
    return null;
  }

  /** The draw on a record whose pools are in order: each selected target with its inspectors, or
   *  with inspectors null (and the number eligible) where there are too few — the last step then. */
  function steps(r, seed) {
    var n = r.sampleSize, k = r.perTarget;
    var stream = new Stream(seed);
    var a = r.targets.slice();
    var x, y, j, tmp;
    for (x = 0; x < n; x++) {
      j = x + stream.uniform(a.length - x);
      tmp = a[x]; a[x] = a[j]; a[j] = tmp;
    }
    var conflicts = new Map();
    r.conflicts.forEach(function (c) {
      if (!conflicts.has(c[1])) conflicts.set(c[1], new Set());
      conflicts.get(c[1]).add(c[0]);
    });
    var qualified = r.inspectors.filter(function (ins) { return ins.fields.indexOf(r.field) >= 0; }).map(function (ins) { return ins.certNo; });
    var out = [];
    for (x = 0; x < n; x++) {
      var target = a[x];
      var excluded = conflicts.get(target);
      var b = excluded ? qualified.filter(function (c) { return !excluded.has(c); }) : qualified.slice();
      if (b.length < k) {
        out.push({ target: target, inspectors: null, eligible: b.length });
        break;
      }
      for (y = 0; y < k; y++) {
        j = y + stream.uniform(b.length - y);
        tmp = b[y]; b[y] = b[j]; b[j] = tmp;
      }
      out.push({ target: target, inspectors: b.slice(0, k), eligible: b.length });
    }
    return out;
  }

  // The record's shape (DrawRecordSchema): the path of the first thing wrong, or null.
  var HEX64 = /^[0-9a-f]{64}$/;
  function isObj(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }
  function isStr(v) { return typeof v === 'string'; }
  function isInt(v, min) { return typeof v === 'number' && Math.floor(v) === v && isFinite(v) && v >= min; }
  function arrayPath(v, path, min, max, each) {
    if (!Array.isArray(v) || v.length < min || v.length > max) return path;
    for (var i = 0; i < v.length; i++) {
      var p = each(v[i], path + '/' + i);
      if (p) return p;
    }
    return null;
  }
  function strings(v, path) { return arrayPath(v, path, 0, Infinity, function (s, p) { return isStr(s) ? null : p; }); }
  function objectPath(v, path, props) {
    if (!isObj(v)) return path || '/';
    for (var i = 0; i < props.length; i++) {
      var name = props[i][0];
      var p = path + '/' + name;
      if (!(name in v)) return p;
      var bad = props[i][1](v[name], p);
      if (bad) return bad;
    }
    return null;
  }
  function nullable(check) { return function (v, p) { return v === null ? null : check(v, p); }; }
  function shapePath(r) {
    return objectPath(r, '', [
      ['format', function (v, p) { return v === FORMAT ? null : p; }],
      ['task', function (v, p) { return isInt(v, 1) ? null : p; }],
      ['status', function (v, p) { return v === 'prepared' || v === 'done' ? null : p; }],
      ['field', function (v, p) { return isStr(v) ? null : p; }],
      ['targets', strings],
      ['inspectors', function (v, p) {
        return arrayPath(v, p, 0, Infinity, function (ins, q) { return objectPath(ins, q, [['certNo', function (s, z) { return isStr(s) ? null : z; }], ['department', function (s, z) { return isStr(s) ? null : z; }], ['fields', strings]]); });
      }],
      ['conflicts', function (v, p) { return arrayPath(v, p, 0, Infinity, function (c, q) { return arrayPath(c, q, 2, 2, function (s, z) { return isStr(s) ? null : z; }); }); }],
      ['sampleSize', function (v, p) { return isInt(v, 1) ? null : p; }],
      ['perTarget', function (v, p) { return isInt(v, 1) ? null : p; }],
      ['witnesses', function (v, p) {
        return arrayPath(v, p, 2, Infinity, function (w, q) { return objectPath(w, q, [['name', function (s, z) { return isStr(s) ? null : z; }], ['commitment', function (s, z) { return isStr(s) && HEX64.test(s) ? null : z; }]]); });
      }],
      ['secrets', strings],
      ['beacon', function (v, p) { return isStr(v) ? null : p; }],
      ['seed', nullable(function (v, p) { return isStr(v) && HEX64.test(v) ? null : p; })],
      ['selection', nullable(function (v, p) {
        return arrayPath(v, p, 0, Infinity, function (s, q) { return objectPath(s, q, [['target', function (x, z) { return isStr(x) ? null : z; }], ['inspectors', strings]]); });
      })],
      ['preparedAt', function (v, p) { return isStr(v) ? null : p; }],
      ['drawnAt', nullable(function (v, p) { return isStr(v) ? null : p; })],
    ]);
  }

  function diff(key, params) { return { match: false, difference: 'enforcement.draw.diff.' + key, params: params || {} }; }
  function sameList(a, b) {
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  /** The verdict on a record: { match: true } or the first difference (a message key and its parameters). */
  function verify(r) {
    if (!isObj(r)) return diff('format', { path: '/' });
    if (r.format !== FORMAT) return diff('format', { path: '/format' });
    var bad = shapePath(r);
    if (bad) return diff('format', { path: bad });
    if (r.status === 'prepared') return diff('prepared');
    if (r.seed === null) return diff('format', { path: '/seed' });
    if (r.selection === null) return diff('format', { path: '/selection' });
    var t = firstOutOfOrder(r.targets);
    if (t >= 0) return diff('order', { list: 'enforcement.draw.list.targets', index: t + 1, value: r.targets[t] });
    var certNos = r.inspectors.map(function (x) { return x.certNo; });
    var c = firstOutOfOrder(certNos);
    if (c >= 0) return diff('order', { list: 'enforcement.draw.list.inspectors', index: c + 1, value: certNos[c] });
    if (r.secrets.length !== r.witnesses.length) return diff('secrets-count', { secrets: r.secrets.length, witnesses: r.witnesses.length });
    for (var i = 0; i < r.secrets.length; i++) {
      if (sm3hex(r.secrets[i]) !== r.witnesses[i].commitment) return diff('commitment', { index: i + 1, witness: r.witnesses[i].name });
    }
    var seed = seedOf(r);
    if (seed !== r.seed) return diff('seed', { expected: seed, found: r.seed });
    var refused = refusal(r);
    if (refused) return { match: false, difference: refused.key, params: refused.params };
    var run = steps(r, seed);
    for (var x = 0; x < run.length; x++) {
      var want = run[x];
      var got = r.selection[x];
      if (!got) return diff('selection-length', { expected: r.sampleSize, found: r.selection.length });
      if (got.target !== want.target) return diff('target', { index: x + 1, expected: want.target, found: got.target });
      if (!want.inspectors) return { match: false, difference: 'enforcement.draw.err.too-few-inspectors', params: { target: want.target, eligible: want.eligible, needed: r.perTarget } };
      if (!sameList(got.inspectors, want.inspectors)) return diff('inspectors', { index: x + 1, target: want.target, expected: want.inspectors.join(', '), found: got.inspectors.join(', ') });
    }
    if (r.selection.length !== run.length) return diff('selection-length', { expected: run.length, found: r.selection.length });
    return { match: true };
  }

  window.GongkaiDraw = { sm3hex: sm3hex, verify: verify };

  // ---- the pages ----
  var noscript = document.getElementById('draw-noscript');
  if (noscript) noscript.hidden = true;
  function texts(root) {
    var m = {};
    try {
      m = JSON.parse(root.getAttribute('data-messages') || '{}');
    } catch (e) {
      m = {};
    }
    return function (key, params) {
      var s = m[key] || key;
      return s.replace(/\{(\w+)\}/g, function (all, p) {
        if (!params || !(p in params)) return all;
        var v = params[p];
        return typeof v === 'string' && m[v] ? m[v] : String(v);
      });
    };
  }

  var box = document.getElementById('draw-verify');
  if (box) {
    var tr = texts(box);
    var out = document.getElementById('draw-verdict');
    var show = function (r) {
      var v;
      try {
        v = verify(r);
      } catch (e) {
        v = diff('format', { path: '/' });
      }
      out.textContent = '';
      out.className = 'draw-verdict notice ' + (v.match ? 'success' : 'error');
      var head = document.createElement('p');
      var strong = document.createElement('strong');
      strong.textContent = v.match ? tr('enforcement.draw.verdict.match') : tr('enforcement.draw.verdict.difference', { text: tr(v.difference, v.params) });
      head.appendChild(strong);
      out.appendChild(head);
      if (v.match) {
        [tr('enforcement.draw.verdict.match_detail'), tr('enforcement.draw.verdict.summary', { seed: r.seed, pool: r.targets.length, n: r.selection.length, k: r.perTarget })].forEach(function (text) {
          var p = document.createElement('p');
          p.textContent = text;
          out.appendChild(p);
        });
      }
    };
    var working = function () {
      out.className = 'draw-verdict notice info';
      out.textContent = tr('enforcement.draw.working');
    };
    box.hidden = false;
    document.getElementById('draw-rerun').addEventListener('click', function () {
      working();
      fetch(box.getAttribute('data-record'), { headers: { accept: 'application/json' } })
        .then(function (res) {
          if (!res.ok) throw new Error(String(res.status));
          return res.json();
        })
        .then(function (r) {
          // Let the "computing" text show before a long run.
          setTimeout(function () { show(r); }, 0);
        })
        .catch(function () {
          out.className = 'draw-verdict notice error';
          out.textContent = tr('enforcement.draw.fetch_failed');
        });
    });
    document.getElementById('draw-file').addEventListener('change', function (e) {
      var f = e.target.files && e.target.files[0];
      if (!f) return;
      working();
      var reader = new FileReader();
      reader.onload = function () {
        var r = null;
        try {
          r = JSON.parse(String(reader.result));
        } catch (err) {
          r = null;
        }
        show(r);
      };
      reader.readAsText(f, 'utf-8');
    });
  }

  var commit = document.getElementById('draw-commit');
  if (commit) {
    var tc = texts(commit);
    var secret = document.getElementById('commit-secret');
    var value = document.getElementById('commit-value');
    var compute = function () {
      value.textContent = secret.value === '' ? tc('enforcement.draw.commit_empty') : sm3hex(secret.value);
    };
    commit.hidden = false;
    document.getElementById('commit-compute').addEventListener('click', compute);
    secret.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') compute();
    });
    document.getElementById('commit-random').addEventListener('click', function () {
      var words = new Uint32Array(4);
      crypto.getRandomValues(words);
      var s = '';
      for (var i = 0; i < words.length; i++) s += String(words[i]).padStart(10, '0');
      secret.value = s;
      compute();
    });
  }
})();
