// Appeal form (progressive enhancement; without it the form works with the address alone):
// - "use my location" (where the browser offers geolocation) and, when the page names map tiles
//   (GONGKAI_MAP_TILE_URL), a small map to mark the place: both fill the hidden lat/lng;
// - 确认提交 on the check page is sent once (the server refuses a second one as well).
(function () {
  'use strict';
  var confirmForm = document.querySelector('form.appeal-confirm');
  if (confirmForm) {
    var sent = false;
    confirmForm.addEventListener('submit', function (e) {
      if (sent) return e.preventDefault();
      sent = true;
      var b = e.submitter || confirmForm.querySelector('button.primary');
      if (b && b.getAttribute('data-submitting')) {
        b.setAttribute('aria-disabled', 'true');
        b.textContent = b.getAttribute('data-submitting');
      }
    });
  }

  var box = document.querySelector('.appeal-point');
  if (!box) return;
  var lat = document.getElementById('f-lat');
  var lng = document.getElementById('f-lng');
  var status = box.querySelector('.point-status');
  var clear = box.querySelector('.point-clear input');
  var data = function (k) { return box.getAttribute('data-' + k) || ''; };
  var map = null;

  function setPoint(la, ln, fromMap) {
    lat.value = la.toFixed(6);
    lng.value = ln.toFixed(6);
    if (clear) clear.checked = false;
    status.textContent = data('set').replace('{lat}', lat.value).replace('{lng}', lng.value);
    if (map) {
      if (!fromMap) map.center(la, ln);
      map.draw();
    }
  }

  var tools = document.createElement('div');
  tools.className = 'point-tools';
  if (navigator.geolocation) {
    var locate = document.createElement('button');
    locate.type = 'button';
    locate.className = 'secondary';
    locate.textContent = data('locate');
    locate.addEventListener('click', function () {
      status.textContent = data('locating');
      navigator.geolocation.getCurrentPosition(
        function (pos) { setPoint(pos.coords.latitude, pos.coords.longitude, false); },
        function () { status.textContent = data('failed'); },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    tools.appendChild(locate);
  }
  box.appendChild(tools);

  var tiles = data('tiles');
  var start = data('center').split(',').map(Number);
  if (!tiles || start.length < 2 || start.some(isNaN)) return;

  // A slippy map of 256-pixel Web Mercator tiles: drag or arrow keys to move, click or Enter to mark.
  var T = 256;
  var zoom = start[2] || 14;
  var cx = 0, cy = 0; // the map centre in world pixels at `zoom`
  var world = function () { return T * Math.pow(2, zoom); };
  var toPx = function (la, ln) {
    var s = Math.sin(la * Math.PI / 180);
    return [(ln + 180) / 360 * world(), (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world()];
  };
  var toLatLng = function (x, y) {
    var n = Math.PI - 2 * Math.PI * y / world();
    return [180 / Math.PI * Math.atan(0.5 * (Math.exp(n) - Math.exp(-n))), x / world() * 360 - 180];
  };

  var wrap = document.createElement('div');
  wrap.className = 'appeal-map-wrap';
  var view = document.createElement('div');
  view.className = 'appeal-map';
  view.tabIndex = 0;
  view.setAttribute('role', 'application');
  view.setAttribute('aria-label', data('map'));
  var layer = document.createElement('div');
  layer.className = 'appeal-map-tiles';
  var marker = document.createElement('span');
  marker.className = 'appeal-map-marker';
  marker.setAttribute('aria-hidden', 'true');
  var cross = document.createElement('span');
  cross.className = 'appeal-map-cross';
  cross.setAttribute('aria-hidden', 'true');
  view.appendChild(layer);
  view.appendChild(marker);
  view.appendChild(cross);
  wrap.appendChild(view);
  var zoomBtn = function (label, d) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = 'secondary';
    b.textContent = d > 0 ? '+' : '−';
    b.setAttribute('aria-label', label);
    b.addEventListener('click', function () { setZoom(zoom + d); });
    return b;
  };
  var bar = document.createElement('div');
  bar.className = 'appeal-map-bar';
  bar.appendChild(zoomBtn(data('zoom-in'), 1));
  bar.appendChild(zoomBtn(data('zoom-out'), -1));
  if (data('attribution')) {
    var attr = document.createElement('small');
    attr.className = 'appeal-map-attribution';
    attr.textContent = data('attribution');
    bar.appendChild(attr);
  }
  wrap.appendChild(bar);
  box.appendChild(wrap);

  function setZoom(z) {
    z = Math.max(3, Math.min(19, z));
    var ll = toLatLng(cx, cy);
    zoom = z;
    map.center(ll[0], ll[1]);
    map.draw();
  }

  function hideTile() { this.style.visibility = 'hidden'; }

  map = {
    center: function (la, ln) { var p = toPx(la, ln); cx = p[0]; cy = p[1]; },
    draw: function () {
      var w = view.clientWidth, h = view.clientHeight, n = Math.pow(2, zoom);
      var left = cx - w / 2, top = cy - h / 2;
      var frag = document.createDocumentFragment();
      for (var ty = Math.floor(top / T); ty <= Math.floor((top + h) / T); ty++) {
        if (ty < 0 || ty >= n) continue;
        for (var tx = Math.floor(left / T); tx <= Math.floor((left + w) / T); tx++) {
          var img = document.createElement('img');
          img.alt = '';
          img.draggable = false;
          img.addEventListener('error', hideTile);
          img.src = tiles.replace('{z}', zoom).replace('{x}', ((tx % n) + n) % n).replace('{y}', ty);
          img.style.left = Math.round(tx * T - left) + 'px';
          img.style.top = Math.round(ty * T - top) + 'px';
          frag.appendChild(img);
        }
      }
      layer.textContent = '';
      layer.appendChild(frag);
      if (lat.value && lng.value) {
        var p = toPx(Number(lat.value), Number(lng.value));
        marker.style.left = Math.round(p[0] - left) + 'px';
        marker.style.top = Math.round(p[1] - top) + 'px';
        marker.hidden = false;
      } else marker.hidden = true;
    },
  };
  if (lat.value && lng.value && !isNaN(Number(lat.value)) && !isNaN(Number(lng.value))) map.center(Number(lat.value), Number(lng.value));
  else map.center(start[0], start[1]);
  map.draw();
  window.addEventListener('resize', function () { map.draw(); });

  var drag = null;
  view.addEventListener('pointerdown', function (e) {
    drag = { x: e.clientX, y: e.clientY, cx: cx, cy: cy, moved: false };
    view.setPointerCapture(e.pointerId);
  });
  view.addEventListener('pointermove', function (e) {
    if (!drag) return;
    var dx = e.clientX - drag.x, dy = e.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (drag.moved) {
      cx = drag.cx - dx;
      cy = drag.cy - dy;
      map.draw();
    }
  });
  view.addEventListener('pointerup', function (e) {
    if (drag && !drag.moved) {
      var r = view.getBoundingClientRect();
      var ll = toLatLng(cx - view.clientWidth / 2 + (e.clientX - r.left), cy - view.clientHeight / 2 + (e.clientY - r.top));
      setPoint(ll[0], ll[1], true);
    }
    drag = null;
  });
  view.addEventListener('keydown', function (e) {
    var step = 64, k = e.key;
    if (k === 'ArrowLeft') cx -= step;
    else if (k === 'ArrowRight') cx += step;
    else if (k === 'ArrowUp') cy -= step;
    else if (k === 'ArrowDown') cy += step;
    else if (k === '+' || k === '=') return setZoom(zoom + 1), e.preventDefault();
    else if (k === '-') return setZoom(zoom - 1), e.preventDefault();
    else if (k === 'Enter' || k === ' ') {
      var ll = toLatLng(cx, cy);
      setPoint(ll[0], ll[1], true);
    } else return;
    e.preventDefault();
    map.draw();
  });
})();
