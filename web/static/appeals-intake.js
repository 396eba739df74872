// Phone intake (console): focus the caller's number first; Ctrl+Enter submits from any field.
(function () {
  var form = document.getElementById('intake-form');
  if (!form) return;
  var first = document.getElementById('f-contactPhone');
  if (first && !document.querySelector('.notice.error')) first.focus();
  form.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      if (form.reportValidity()) form.submit();
    }
  });
})();
