// govlist index: search every item of every list (data from search-index.js; no fetch, works from file://).
(function () {
  "use strict";
  var data = window.GOVLIST_INDEX || { lists: [], items: [] };
  var q = document.getElementById("q");
  var hits = document.getElementById("hits");
  var list = document.getElementById("hit-list");
  var count = document.getElementById("hit-count");
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.lists tbody tr"));
  var texts = rows.map(function (tr) { return tr.textContent.toLowerCase(); });
  var keys = data.items.map(function (it) { return (it[2] + " " + it[3] + " " + it[4] + " " + it[5] + " " + it[6]).toLowerCase(); });
  var LIMIT = 200;
  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function (tr, i) { tr.hidden = terms.length > 0 && !terms.every(function (t) { return texts[i].indexOf(t) >= 0; }) && !matchesList(i, terms); });
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (!terms.length) { hits.hidden = true; return; }
    var n = 0;
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (!terms.every(function (t) { return k.indexOf(t) >= 0; })) { continue; }
      n += 1;
      if (n > LIMIT) { continue; }
      var it = data.items[i], l = data.lists[it[0]];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = l.href + "#" + encodeURIComponent(it[1]);
      a.textContent = (it[2] ? it[2] + " " : "") + it[3];
      li.appendChild(a);
      li.appendChild(document.createTextNode(" — " + l.title + (it[4] ? " · " + it[4] : "")));
      list.appendChild(li);
    }
    count.textContent = n > LIMIT ? LIMIT + " / " + n : String(n);
    hits.hidden = false;
  }
  var listHas = null;
  function matchesList(i, terms) {
    if (!listHas) {
      listHas = data.lists.map(function () { return []; });
      data.items.forEach(function (it, j) { listHas[it[0]].push(j); });
    }
    var idx = listHas[i] || [];
    for (var j = 0; j < idx.length; j++) {
      var k = keys[idx[j]];
      if (terms.every(function (t) { return k.indexOf(t) >= 0; })) { return true; }
    }
    return false;
  }
  var timer = null;
  if (q) { q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, keys.length > 20000 ? 150 : 0); }); }
})();
