// govlist list page: instant search and filter over the rows of the table. No network, works from file://.
(function () {
  "use strict";
  var q = document.getElementById("q");
  var fCat = document.getElementById("f-cat");
  var fType = document.getElementById("f-type");
  var fDept = document.getElementById("f-dept");
  var count = document.getElementById("count");
  var table = document.querySelector("table.items");
  if (!q || !table) { return; }
  var groups = Array.prototype.slice.call(table.tBodies);
  var rows = [];
  groups.forEach(function (g) {
    Array.prototype.forEach.call(g.rows, function (tr) {
      if (tr.classList.contains("cat-head")) { return; }
      rows.push({ tr: tr, group: g, text: tr.textContent.toLowerCase(), cat: tr.getAttribute("data-cat") || "",
                  type: tr.getAttribute("data-type") || "", dept: (tr.getAttribute("data-dept") || "").split("、") });
    });
  });
  var total = rows.length;
  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var cat = fCat ? fCat.value : "", type = fType ? fType.value : "", dept = fDept ? fDept.value : "";
    var shown = 0, visible = new Map();
    rows.forEach(function (r) {
      var ok = (!cat || r.cat === cat) && (!type || r.type === type) && (!dept || r.dept.indexOf(dept) >= 0) &&
        terms.every(function (t) { return r.text.indexOf(t) >= 0; });
      r.tr.hidden = !ok;
      if (ok) { shown += 1; visible.set(r.group, true); }
    });
    groups.forEach(function (g) { g.hidden = !visible.get(g); });
    if (count) { count.textContent = shown + " / " + total; }
  }
  var timer = null;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, total > 3000 ? 120 : 0); });
  [fCat, fType, fDept].forEach(function (s) { if (s) { s.addEventListener("change", apply); } });
  if (q.value) { apply(); }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.hidden) { q.value = ""; if (fCat) fCat.value = ""; if (fType) fType.value = ""; if (fDept) fDept.value = ""; apply(); el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
})();
