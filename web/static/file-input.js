// File inputs labelled in the page's language (see FileInput in src/platform/render/components.tsx).
(function () {
  document.querySelectorAll('.file-pick:not(.enhanced)').forEach(function (box) {
    var input = box.querySelector('input[type=file]');
    var button = box.querySelector('.file-button');
    var names = box.querySelector('.file-names');
    if (!input || !button || !names) return;
    box.classList.add('enhanced');
    input.classList.add('visually-hidden');
    button.hidden = false;
    names.hidden = false;
    input.addEventListener('change', function () {
      var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      names.textContent = files.length === 0 ? box.dataset.none : files.length > 3 ? box.dataset.many.replace('{n}', files.length) + '：' + files.slice(0, 3).join('、') + '…' : files.join('、');
    });
  });
})();
