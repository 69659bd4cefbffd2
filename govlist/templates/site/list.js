// govlist list page: instant search and filter over the rows of the table, matches highlighted, the query kept in
// the URL. No network, works from file://.
(function () {
  "use strict";
  var q = document.getElementById("q");
  var fCat = document.getElementById("f-cat");
  var fType = document.getElementById("f-type");
  var fDept = document.getElementById("f-dept");
  var count = document.getElementById("count");
  var table = document.querySelector("table.items");
  if (!q || !table) { return; }
  // --- highlight: matches in the shown rows wrapped in <mark> (text nodes only: catalog text never becomes markup)
  function markNode(node, terms) {
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT), texts = [], t;
    while ((t = walker.nextNode())) { texts.push(t); }
    texts.forEach(function (text) {
      var s = text.nodeValue, low = s.toLowerCase(), spans = [];
      terms.forEach(function (term) {
        for (var at = low.indexOf(term); at >= 0; at = low.indexOf(term, at + term.length)) { spans.push([at, at + term.length]); }
      });
      if (!spans.length) { return; }
      spans.sort(function (a, b) { return a[0] - b[0]; });
      var frag = document.createDocumentFragment(), pos = 0;
      spans.forEach(function (sp) {
        if (sp[0] < pos) { if (sp[1] <= pos) { return; } sp = [pos, sp[1]]; }
        if (sp[0] > pos) { frag.appendChild(document.createTextNode(s.slice(pos, sp[0]))); }
        var m = document.createElement("mark");
        m.textContent = s.slice(sp[0], sp[1]);
        frag.appendChild(m);
        pos = sp[1];
      });
      if (pos < s.length) { frag.appendChild(document.createTextNode(s.slice(pos))); }
      text.parentNode.replaceChild(frag, text);
    });
  }
  function unmark(node) {
    Array.prototype.slice.call(node.querySelectorAll("mark")).forEach(function (m) {
      m.parentNode.replaceChild(document.createTextNode(m.textContent), m);
    });
    node.normalize();
  }
  // --- the query in the URL (?q=…&cat=…): a reload or a shared link shows the same rows
  function saveQuery(pairs) {
    try {
      var p = new URLSearchParams(location.search);
      Object.keys(pairs).forEach(function (k) { if (pairs[k]) { p.set(k, pairs[k]); } else { p.delete(k); } });
      var s = p.toString();
      history.replaceState(null, "", location.pathname + (s ? "?" + s : "") + location.hash);
    } catch (e) { /* a browser that refuses replaceState on file:// keeps working without it */ }
  }
  function loadQuery() {
    try { return new URLSearchParams(location.search); } catch (e) { return { get: function () { return null; } }; }
  }
  var groups = Array.prototype.slice.call(table.tBodies);
  var rows = [];
  groups.forEach(function (g) {
    Array.prototype.forEach.call(g.rows, function (tr) {
      if (tr.classList.contains("cat-head")) { return; }
      rows.push({ tr: tr, group: g, text: tr.textContent.toLowerCase(), cat: tr.getAttribute("data-cat") || "",
                  type: tr.getAttribute("data-type") || "", dept: (tr.getAttribute("data-dept") || "").split("、"), marked: false });
    });
  });
  var total = rows.length;
  var MARK_LIMIT = 500;  // rows highlighted at most: a 10,000-row list stays responsive
  function apply() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var cat = fCat ? fCat.value : "", type = fType ? fType.value : "", dept = fDept ? fDept.value : "";
    var shown = 0, marked = 0, visible = new Map();
    rows.forEach(function (r) {
      var ok = (!cat || r.cat === cat) && (!type || r.type === type) && (!dept || r.dept.indexOf(dept) >= 0) &&
        terms.every(function (t) { return r.text.indexOf(t) >= 0; });
      r.tr.hidden = !ok;
      if (r.marked) { unmark(r.tr); r.marked = false; }
      if (ok) {
        shown += 1;
        visible.set(r.group, true);
        if (terms.length && marked < MARK_LIMIT) { markNode(r.tr, terms); r.marked = true; marked += 1; }
      }
    });
    groups.forEach(function (g) { g.hidden = !visible.get(g); });
    if (count) { count.textContent = shown + " / " + total; }
    saveQuery({ q: q.value.trim(), cat: cat, type: type, dept: dept });
  }
  var timer = null;
  q.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, total > 3000 ? 120 : 0); });
  [fCat, fType, fDept].forEach(function (s) { if (s) { s.addEventListener("change", apply); } });
  var saved = loadQuery();
  if (saved.get("q")) { q.value = saved.get("q"); }
  [[fCat, "cat"], [fType, "type"], [fDept, "dept"]].forEach(function (pair) {
    if (pair[0] && saved.get(pair[1])) { pair[0].value = saved.get(pair[1]); }
  });
  if (q.value || (fCat && fCat.value) || (fType && fType.value) || (fDept && fDept.value)) { apply(); }
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.hidden) { q.value = ""; if (fCat) fCat.value = ""; if (fType) fType.value = ""; if (fDept) fDept.value = ""; apply(); el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
})();
