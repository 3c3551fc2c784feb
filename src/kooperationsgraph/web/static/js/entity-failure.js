// The entity page's "if this fails" section: when the resilience analysis of this store version is not built
// yet, the page shows a placeholder and this script loads the section as an HTML fragment (same origin).
(function () {
  "use strict";
  var box = document.getElementById("if-this-fails");
  if (!box || !box.dataset.src) { return; }
  fetch(box.dataset.src, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
    .then(function (resp) { return resp.ok ? resp.text() : ""; })
    .then(function (html) {
      if (!html) { box.remove(); return; }
      var tpl = document.createElement("template");
      tpl.innerHTML = html.trim();
      var section = tpl.content.firstElementChild;
      if (section) { box.replaceWith(section); } else { box.remove(); }
    })
    .catch(function () { box.remove(); });
})();
