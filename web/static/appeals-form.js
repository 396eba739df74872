// Appeal form (progressive enhancement): a "use my location" button fills latitude and longitude.
(function () {
  var box = document.querySelector('.appeal-point[data-locate]');
  if (!box || !navigator.geolocation) return;
  var lat = document.getElementById('f-lat');
  var lng = document.getElementById('f-lng');
  var b = document.createElement('button');
  b.type = 'button';
  b.className = 'secondary';
  b.textContent = box.getAttribute('data-locate');
  b.addEventListener('click', function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
    });
  });
  box.appendChild(b);
})();
