// Validation form: after a parse error the input is kept; select the line the parser stopped at.
(function () {
  "use strict";
  var box = document.getElementById("text");
  var line = box && Number(box.getAttribute("data-error-line"));
  if (!line) { return; }
  var lines = box.value.split("\n"), start = 0;
  for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
  var end = start + (lines[line - 1] || "").length;
  box.focus(); box.setSelectionRange(start, end);
  box.scrollTop = Math.max(0, (line - 3) * 18);
})();
