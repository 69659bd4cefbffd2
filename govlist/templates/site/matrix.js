// The matrix page: filter item rows by name and by what differs between units.
(function () {
  var name = document.getElementById('f-name');
  var status = document.getElementById('f-status');
  var count = document.getElementById('m-count');
  if (!name || !status) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll('#matrix tbody tr'));
  function apply() {
    var q = name.value.trim();
    var s = status.value;
    var shown = 0;
    rows.forEach(function (tr) {
      var ok = (!q || tr.getAttribute('data-name').indexOf(q) >= 0) && (!s || tr.getAttribute('data-' + s) === 'y');
      tr.hidden = !ok;
      if (ok) shown += 1;
    });
    if (count) count.textContent = shown + ' / ' + rows.length;
  }
  name.addEventListener('input', apply);
  status.addEventListener('change', apply);
})();
